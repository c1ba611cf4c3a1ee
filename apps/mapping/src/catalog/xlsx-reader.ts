import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

/*
 * The rows of an .xlsx's first sheet, as text, read as the import needs them: in bounded memory
 * (the sheet is inflated and parsed a slice at a time; only the shared strings are held, and the
 * caller checked their size first) and right for Japanese files.
 *
 * Why not exceljs's streaming reader (it still writes the template): it decodes each inflated
 * chunk to text on its own, so a character split between two chunks becomes U+FFFD (about one
 * name in 3,000 in a Japanese catalog here; exceljs issues #2063, #2316), and it keeps the last
 * <t> of a shared string, which in files typed with a Japanese IME is the phonetic reading
 * (<rPh>, furigana), not the text. fflate inflates, saxes (exceljs's own XML parser) parses, and
 * a streaming TextDecoder keeps split characters whole.
 */

export interface SheetRow {
  /** 1-based row number as the sheet says (`<row r>`). */
  number: number;
  /** Cell texts from column A; missing cells are ''. */
  cells: string[];
}

export class XlsxFormatError extends Error {}

/** Compressed bytes fed to the inflater at a time: bounds what one step inflates and parses. */
const SLICE = 4 * 1024;
/** Every this many slices the reader lets other work run (the service's Kafka consumers). */
const SLICES_PER_TURN = 64;

export async function* xlsxSheetRows(content: Buffer): AsyncGenerator<SheetRow> {
  let sheetPath: string;
  let shared: string[];
  try {
    sheetPath = firstSheetPath(content);
    shared = sharedStrings(content);
  } catch (error) {
    if (error instanceof XlsxFormatError) throw error;
    throw new XlsxFormatError((error as Error).message); // fflate: not a zip, a broken entry
  }
  const rows: SheetRow[] = [];
  const reader = new SheetReader(shared, (row) => rows.push(row));
  let found = false;
  let failure: Error | null = null;
  const unzip = new Unzip((file) => {
    if (file.name !== sheetPath) return;
    found = true;
    const decoder = new TextDecoder('utf-8');
    file.ondata = (error, chunk, final) => {
      if (error) {
        failure = error;
        return;
      }
      try {
        reader.write(decoder.decode(chunk, { stream: !final }));
        if (final) reader.close();
      } catch (parseError) {
        failure = parseError as Error;
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for (let offset = 0, slice = 0; offset < content.length; offset += SLICE, slice++) {
    unzip.push(content.subarray(offset, offset + SLICE), offset + SLICE >= content.length);
    if (failure) throw new XlsxFormatError((failure as Error).message);
    // What this slice completed, before the next one is inflated.
    while (rows.length > 0) yield rows.shift() as SheetRow;
    if (slice % SLICES_PER_TURN === SLICES_PER_TURN - 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  if (!found) throw new XlsxFormatError(`the workbook has no sheet ${sheetPath}`);
}

/** The zip path of the workbook's first sheet (its order in workbook.xml, not its name). */
function firstSheetPath(content: Buffer): string {
  const files = unzipSync(content, {
    filter: (file) => file.name === 'xl/workbook.xml' || file.name === 'xl/_rels/workbook.xml.rels',
  });
  const workbook = files['xl/workbook.xml'];
  const rels = files['xl/_rels/workbook.xml.rels'];
  if (!workbook || !rels) throw new XlsxFormatError('it has no xl/workbook.xml');
  let relationId: string | null = null;
  parseXml(new TextDecoder().decode(workbook), {
    open: (tag) => {
      if (relationId === null && tag.name === 'sheet') {
        relationId = tag.attributes['r:id'] ?? null;
      }
    },
  });
  let target: string | null = null;
  parseXml(new TextDecoder().decode(rels), {
    open: (tag) => {
      if (tag.name === 'Relationship' && tag.attributes.Id === relationId) {
        target = tag.attributes.Target ?? null;
      }
    },
  });
  if (target === null) throw new XlsxFormatError('its workbook names no sheet');
  const path = target as string;
  return path.startsWith('/') ? path.slice(1) : `xl/${path}`;
}

/** The shared strings, each the text of its `<t>` runs without phonetic readings (`<rPh>`). */
function sharedStrings(content: Buffer): string[] {
  const files = unzipSync(content, {
    filter: (file) => /^xl\/sharedStrings\.xml$/iu.test(file.name),
  });
  const xml = Object.values(files)[0];
  if (!xml) return [];
  const strings: string[] = [];
  let text = '';
  let inText = false;
  let phonetic = 0;
  parseXml(new TextDecoder().decode(xml), {
    open: (tag) => {
      if (tag.name === 'si') text = '';
      else if (tag.name === 'rPh') phonetic += 1;
      else if (tag.name === 't') inText = phonetic === 0;
    },
    text: (value) => {
      if (inText) text += value;
    },
    close: (name) => {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic -= 1;
      else if (name === 'si') strings.push(unescapeOoxml(text));
    },
  });
  return strings;
}

/** Turns `<row>`/`<c>` events of a worksheet into rows of cell texts. */
class SheetReader {
  private readonly parser = new SaxesParser({ position: false });
  private rowNumber = 0;
  private cells: string[] = [];
  private column = 0;
  private type = 'n';
  private value = '';
  private inValue = false;
  private phonetic = 0;

  constructor(
    private readonly shared: readonly string[],
    private readonly emit: (row: SheetRow) => void,
  ) {
    this.parser.on('opentag', (tag) => this.onOpen(tag as SaxesTagPlain));
    this.parser.on('text', (text) => {
      if (this.inValue) this.value += text;
    });
    this.parser.on('closetag', (tag) => this.onClose(tag.name));
    this.parser.on('error', (error) => {
      throw error;
    });
  }

  write(text: string): void {
    this.parser.write(text);
  }

  close(): void {
    this.parser.close();
  }

  private onOpen(tag: SaxesTagPlain): void {
    const attributes = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'row':
        this.rowNumber = attributes.r ? Number(attributes.r) : this.rowNumber + 1;
        this.cells = [];
        this.column = 0;
        break;
      case 'c':
        this.column = attributes.r ? columnIndex(attributes.r) : this.column + 1;
        this.type = attributes.t ?? 'n';
        this.value = '';
        break;
      case 'rPh':
        this.phonetic += 1;
        break;
      case 'v':
      case 't':
        this.inValue = this.phonetic === 0;
        break;
    }
  }

  private onClose(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.inValue = false;
        break;
      case 'rPh':
        this.phonetic -= 1;
        break;
      case 'c':
        while (this.cells.length < this.column - 1) this.cells.push('');
        this.cells[this.column - 1] = this.text();
        break;
      case 'row':
        this.emit({ number: this.rowNumber, cells: this.cells });
        break;
    }
  }

  /** A cell's text: shared or inline strings as written, booleans as true/false, numbers as stored. */
  private text(): string {
    switch (this.type) {
      case 's':
        return (this.shared[Number(this.value)] ?? '').trim();
      case 'b':
        return this.value === '1' ? 'true' : 'false';
      case 'e':
        return '';
      default:
        // inlineStr, str (a formula's text) and n (numbers, kept as Excel stored them).
        return unescapeOoxml(this.value).trim();
    }
  }
}

/** `C12` → 3. */
function columnIndex(reference: string): number {
  let index = 0;
  for (const char of reference) {
    const code = char.charCodeAt(0);
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index;
}

/** OOXML writes characters XML cannot hold as `_xHHHH_` (e.g. `_x000D_` for a carriage return). */
function unescapeOoxml(text: string): string {
  return text.replace(/_x([0-9A-Fa-f]{4})_/gu, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

function parseXml(
  xml: string,
  handlers: {
    open?: (tag: { name: string; attributes: Record<string, string> }) => void;
    text?: (text: string) => void;
    close?: (name: string) => void;
  },
): void {
  const parser = new SaxesParser({ position: false });
  if (handlers.open) {
    const open = handlers.open;
    parser.on('opentag', (tag) =>
      open({ name: tag.name, attributes: tag.attributes as Record<string, string> }),
    );
  }
  if (handlers.text) parser.on('text', handlers.text);
  if (handlers.close) {
    const close = handlers.close;
    parser.on('closetag', (tag) => close(tag.name));
  }
  parser.on('error', (error) => {
    throw new XlsxFormatError(error.message);
  });
  parser.write(xml).close();
}
