import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBase64,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import type { MatchedBy } from '../events/order-mapped/order-mapped.event';
import type { ServiceErrorBody } from './service-error';
import { CallActor } from './shops.calls';
import { MAX_PAGE_OFFSET } from '../constants/paging';

/**
 * Calls the gateway makes to the mapping service over the TCP transport: the SKU catalog
 * (판매자 정의 코드 per SKU or option, bundles), name-based rules, the unmapped-order queue. The
 * same classes validate the HTTP bodies in the gateway and the calls in the service.
 */
export const MAPPING_CALLS = {
  listSkus: 'mapping.skus.list',
  getSku: 'mapping.skus.get',
  createSku: 'mapping.skus.create',
  updateSku: 'mapping.skus.update',
  startImport: 'mapping.imports.start',
  importPiece: 'mapping.imports.piece',
  getImport: 'mapping.imports.get',
  listRules: 'mapping.rules.list',
  createRule: 'mapping.rules.create',
  deleteRule: 'mapping.rules.delete',
  dryRunRule: 'mapping.rules.dry-run',
  listOrders: 'mapping.orders.list',
  linkLine: 'mapping.orders.link-line',
} as const;

/** Platform codes (SKU, option): printable characters without spaces, as warehouses need them. */
export const PLATFORM_CODE = /^[\x21-\x7e]{1,200}$/;
const PLATFORM_CODE_MESSAGE =
  '$property must be 1–200 letters, digits or symbols without spaces, e.g. TEE001-M-BK';

/** Spaces around a code are a typing accident; inside a code they are refused. */
function trimmed({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '') : value;
}

/** One SKU in a bundle (set product) and how many of it one unit of the bundle holds. */
export class BundleComponentInput {
  /** Platform code of a single SKU or of an option (not of another bundle). */
  @Transform(trimmed)
  @IsString()
  @Matches(PLATFORM_CODE, { message: PLATFORM_CODE_MESSAGE })
  skuCode: string;

  /** Units of that SKU in one unit of the bundle (count, 1–9999). */
  @IsInt()
  @Min(1)
  @Max(9999)
  quantity: number;
}

/** One option of a SKU with options (스마트십 "상품 옵션 관리" tab). */
export class SkuOptionInput {
  /** Platform code of the option: the code the warehouse keeps stock under. */
  @Transform(trimmed)
  @IsString()
  @Matches(PLATFORM_CODE, { message: PLATFORM_CODE_MESSAGE })
  code: string;

  /** Option name shown to people, e.g. `M / ブラック`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name: string;

  /**
   * 판매자 정의 코드 of the option: after Rakuten's SKU migration the variation's
   * システム連携用SKU番号; before it, 商品番号 + 横軸 + 縦軸 child codes (e.g. `towel-003wf`).
   * Compared exactly (letter case included).
   */
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(400)
  sellerCode?: string | null;

  /** Barcode (JAN/EAN) of the option, if any. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  barcode?: string | null;

  /** Rakuten SKU管理番号 (variantId) the seller links to this option, if any. */
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Matches(/^[a-zA-Z0-9_-]{1,40}$/, {
    message: '$property must be a Rakuten SKU管理番号: 1–40 of a-z, A-Z, 0-9, _ and -',
  })
  variantId?: string | null;

  /** When set, the option is a set: it ships these SKUs instead of itself. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BundleComponentInput)
  components?: BundleComponentInput[] | null;
}

/**
 * Fields shared by creating and changing a SKU. The name is not among them: class-validator
 * keeps a parent's `@IsOptional` on a redeclared property, so a required name in the create body
 * would still pass when missing (found by the gateway fuzz test: a 500 from the database).
 */
export abstract class SkuFields {
  /** Barcode (JAN/EAN), if any. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  barcode?: string | null;

  /**
   * 판매자 정의 코드 of a single product (스마트십 "상품 정보" tab): Rakuten's 商品番号.
   * Only for SKUs without options. Compared exactly (letter case included).
   */
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(400)
  sellerCode?: string | null;

  /** A set product: the SKUs one unit of it ships. Only for SKUs without options. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BundleComponentInput)
  components?: BundleComponentInput[] | null;

  /**
   * The SKU's options (스마트십 "상품 옵션 관리"), each with its own seller code. On a change,
   * the list given replaces the options: an option left out is removed.
   */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => SkuOptionInput)
  options?: SkuOptionInput[] | null;
}

/** `POST /skus`: a single product (sellerCode), a bundle (components) or a product with options. */
export class CreateSkuBody extends SkuFields {
  /** Platform SKU code, unique in the tenant together with every option code. */
  @Transform(trimmed)
  @IsString()
  @Matches(PLATFORM_CODE, { message: PLATFORM_CODE_MESSAGE })
  code: string;

  /** SKU name shown to people. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name: string;
}

/** `PATCH /skus/:id`: the fields given change; `null` clears an optional one. */
export class UpdateSkuBody extends SkuFields {
  /** SKU name shown to people. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  name?: string;
}

export class ListSkusCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  /** Part of a code, seller code or name to look for (case-insensitive). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_OFFSET)
  offset?: number;
}

export class SkuRefCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsUUID()
  skuId: string;
}

export class CreateSkuCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @ValidateNested()
  @Type(() => CreateSkuBody)
  body: CreateSkuBody;
}

export class UpdateSkuCall extends SkuRefCall {
  @ValidateNested()
  @Type(() => UpdateSkuBody)
  body: UpdateSkuBody;
}

/** File formats `POST /skus/import` reads. */
export const SKU_IMPORT_FORMATS = ['csv', 'xlsx'] as const;
export type SkuImportFormat = (typeof SKU_IMPORT_FORMATS)[number];

/** Largest import file, bytes: a 60,000-row xlsx is about 3 MB, a csv about 5 MB. */
export const SKU_IMPORT_MAX_BYTES = 20 * 1024 * 1024;

/** What an import file holds: SKUs (the SKU template) or name rules (item name, option text, SKU). */
export const IMPORT_KINDS = ['skus', 'rules'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * A file travels to the mapping service in pieces of at most this many bytes, one call each.
 * Small enough that every copy of a piece on its way (the JSON frame, its base64 text, the hex
 * text the database driver writes and reads) stays under V8's large-object size (128 KiB) and
 * dies young: with 1 MiB pieces a 14 MB file grew the mapping service by about 130 MiB of
 * garbage, with 48 KiB ones by about 30 (`npm run bench`, section imports).
 */
export const IMPORT_PIECE_BYTES = 48 * 1024;
const MAX_PIECES = Math.ceil(SKU_IMPORT_MAX_BYTES / IMPORT_PIECE_BYTES);

/** `mapping.imports.start`: a background import job, receiving its file's pieces next. */
export class StartImportCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsIn(IMPORT_KINDS)
  kind: ImportKind;

  @IsIn(SKU_IMPORT_FORMATS)
  format: SkuImportFormat;

  @IsString()
  @MaxLength(255)
  fileName: string;

  @IsInt()
  @Min(1)
  @Max(SKU_IMPORT_MAX_BYTES)
  sizeBytes: number;

  @IsInt()
  @Min(1)
  @Max(MAX_PIECES)
  pieces: number;
}

/** `mapping.imports.piece`: piece `index` (from 0) of a job's file; sending one again is fine. */
export class ImportPieceCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsUUID()
  importId: string;

  @IsInt()
  @Min(0)
  @Max(MAX_PIECES - 1)
  index: number;

  @IsBase64()
  @MaxLength(Math.ceil((IMPORT_PIECE_BYTES * 4) / 3) + 4)
  contentBase64: string;
}

/** `mapping.imports.get`. */
export class ImportRefCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsUUID()
  importId: string;
}

export const IMPORT_JOB_STATES = [
  'receiving',
  'queued',
  'running',
  'applied',
  'rejected',
  'failed',
] as const;
export type ImportJobState = (typeof IMPORT_JOB_STATES)[number];

/** A background import as `GET /imports/:id` shows it. */
export interface ImportJobView {
  id: string;
  kind: ImportKind;
  format: SkuImportFormat;
  fileName: string;
  sizeBytes: number;
  /** receiving → queued → running → applied | rejected (bad rows) | failed (unreadable…). */
  state: ImportJobState;
  /** Data rows read so far (the progress of a running job). */
  rowsRead: number;
  /** The report once applied or rejected. */
  report: ImportReportView | null;
  /** Why it was rejected or failed, as the synchronous answer would have said it. */
  error: ServiceErrorBody | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** An import file as a whole, for the service's own use and tests (the gateway sends pieces). */
export class ImportSkusCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsIn(SKU_IMPORT_FORMATS)
  format: SkuImportFormat;

  /** The file name as uploaded, for the report only. */
  @IsString()
  @MaxLength(255)
  fileName: string;

  /** The file's bytes, base64. */
  @IsBase64()
  @MaxLength(Math.ceil((SKU_IMPORT_MAX_BYTES * 4) / 3) + 4)
  contentBase64: string;
}

/** `POST /mappings`: a name rule (상품명 매핑). Both texts are compared exactly. */
export class CreateMappingRuleBody {
  /**
   * Rakuten item name exactly as on the order line (itemName): spaces, letter case and
   * full-width characters included.
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(3072)
  itemName: string;

  /**
   * Option text exactly as on the order line: after the SKU migration the variation lines
   * (skuInfo, `サイズ:M\nカラー:ブラック`), before it the 項目・選択肢 text (selectedChoice);
   * empty for a product without options.
   */
  @IsString()
  @MaxLength(10000)
  optionText: string;

  /** Platform code of a single SKU, a bundle or an option the rule links to. */
  @Transform(trimmed)
  @IsString()
  @Matches(PLATFORM_CODE, { message: PLATFORM_CODE_MESSAGE })
  skuCode: string;
}

export class ListRulesCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;
}

export class CreateRuleCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @ValidateNested()
  @Type(() => CreateMappingRuleBody)
  body: CreateMappingRuleBody;
}

export class RuleRefCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsUUID()
  ruleId: string;
}

/** Order statuses the mapping service knows. */
export const MAPPING_ORDER_STATUSES = ['needs_mapping', 'mapped'] as const;
export type MappingOrderStatus = (typeof MAPPING_ORDER_STATUSES)[number];

export class ListMappingOrdersCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsIn(MAPPING_ORDER_STATUSES)
  status: MappingOrderStatus;

  /** Only this shop connection's orders. */
  @IsOptional()
  @IsUUID()
  shopId?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_OFFSET)
  offset?: number;
}

/** `POST /orders/:orderNumber/lines/:itemDetailId/link`: map a held line to a SKU from now on. */
export class LinkLineBody {
  /** Platform code of a single SKU, a bundle or an option. */
  @Transform(trimmed)
  @IsString()
  @Matches(PLATFORM_CODE, { message: PLATFORM_CODE_MESSAGE })
  skuCode: string;
}

export class LinkLineCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  /** Rakuten order number (受注番号) of a held order. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(400)
  orderNumber: string;

  /** Rakuten 商品明細ID of the line. */
  @IsInt()
  @Min(1)
  itemDetailId: number;

  @ValidateNested()
  @Type(() => LinkLineBody)
  body: LinkLineBody;
}

// ---------------------------------------------------------------------------------------------
// Views (answers)

/** A bundle component as stored. */
export interface BundleComponentView {
  skuCode: string;
  quantity: number;
}

export interface SkuOptionView {
  id: string;
  code: string;
  name: string;
  sellerCode: string | null;
  barcode: string | null;
  variantId: string | null;
  components: BundleComponentView[] | null;
}

/** A SKU of the catalog. `kind` follows from the fields: options, bundle or single. */
export interface SkuView {
  id: string;
  code: string;
  name: string;
  barcode: string | null;
  kind: 'single' | 'bundle' | 'options';
  sellerCode: string | null;
  components: BundleComponentView[] | null;
  options: SkuOptionView[];
  createdAt: string;
  updatedAt: string;
}

/** What re-evaluating the tenant's held orders after a catalog change did. */
export interface ReevaluationView {
  /** Held orders looked at again. */
  evaluated: number;
  /** Orders that now map completely and were published (`order.mapped`). */
  released: number;
  /** Orders still held. */
  stillHeld: number;
}

/** The answer to a SKU or rule change: the changed thing and what it released. */
export interface CatalogChangeView<T> {
  item: T;
  reevaluation: ReevaluationView;
}

/** One bad row of an import file. */
export interface ImportProblemView {
  /** 1-based row number in the file (the header is row 1). */
  row: number;
  /** Column name, as in the template, or null when the row as a whole is wrong. */
  column: string | null;
  reason: string;
}

export interface ImportReportView {
  /** The import's id (a rejected import's tenant.alert import_errors names it). */
  importId?: string;
  fileName: string;
  format: SkuImportFormat;
  /** Data rows read (header and blank rows not counted). */
  rows: number;
  /** true when the file was applied; false when any row was bad and nothing was stored. */
  applied: boolean;
  /** SKUs created, changed and left as they were (0 when not applied). */
  created: number;
  updated: number;
  unchanged: number;
  /** The first SKU_IMPORT_MAX_PROBLEMS bad rows, in row order (empty when applied). */
  problems: ImportProblemView[];
  /** How many problems there were in all (more than `problems` holds when it was cut). */
  problemCount: number;
  /** How a CSV file's text was read: `utf-8` (with or without BOM), `shift_jis` (CP932) or
   *  `euc-kr` (CP949, Korean Excel); null for xlsx. */
  encoding: string | null;
  /** Held orders released by this import. */
  reevaluation: ReevaluationView;
  /** Time spent in the service, ms. */
  durationMs: number;
}

export interface MappingRuleView {
  id: string;
  itemName: string;
  optionText: string;
  skuCode: string;
  createdAt: string;
}

/** A SKU, option or bundle a line could be linked to. */
export interface CandidateView {
  skuCode: string;
  name: string;
  /** Which of its codes or texts is close to the line's, e.g. sellerCode `TEE001-M-BK`. */
  why: string;
}

/** Why a line is not mapped. */
export type UnmappedReason = 'no_match' | 'ambiguous';

export interface UnmappedLineView {
  itemDetailId: number;
  itemName: string;
  itemNumber: string;
  manageNumber: string;
  variantId: string | null;
  merchantDefinedSkuId: string | null;
  /** The option text name rules are compared with (see CreateMappingRuleBody.optionText). */
  optionText: string;
  units: number;
  reason: UnmappedReason;
  /** With `ambiguous`: the matching candidates, none chosen. Else: similar codes or names. */
  candidates: CandidateView[];
}

export interface ResolvedLineView {
  itemDetailId: number;
  itemName: string;
  matchedBy: MatchedBy;
  ruleId: string | null;
  skus: { skuCode: string; quantity: number }[];
}

export interface MappingOrderView {
  shopId: string;
  orderNumber: string;
  /** The order revision held or mapped: 1 for its first pull, 2, 3, … when Rakuten changed it. */
  revision: number;
  status: MappingOrderStatus;
  orderedAt: string | null;
  /** When the order was first held (needs_mapping) or mapped. */
  since: string;
  /** Lines that are not mapped (needs_mapping only). */
  unmappedLines: UnmappedLineView[];
  /** Lines that map (for needs_mapping: those that would map now). */
  mappedLines: ResolvedLineView[];
}

export interface DryRunLineView {
  shopId: string;
  orderNumber: string;
  status: MappingOrderStatus;
  itemDetailId: number;
  /** What the line maps to today (null: not mapped). */
  before: ResolvedLineView | null;
  /** What it would map to with the rule (null: still not mapped, reason in `unmappedReason`). */
  after: ResolvedLineView | null;
  unmappedReason: UnmappedReason | null;
}

/** What a rule would do before it is saved. */
export interface DryRunView {
  rule: { itemName: string; optionText: string; skuCode: string };
  /** Held orders that would be released (every line mapped with the rule). */
  wouldRelease: string[];
  /** Lines of held and recent orders whose text equals the rule's. */
  lines: DryRunLineView[];
}

// ---------------------------------------------------------------------------------------------
// Import file layout

/**
 * Columns of the SKU import file, in template order. One row per single SKU or bundle, or one
 * row per option of a SKU with options (its sku_code, sku_name repeated on each option row).
 */
export const SKU_IMPORT_COLUMNS = [
  {
    name: 'sku_code',
    required: true,
    help: 'Platform SKU code (스마트십 SKU 코드)',
    headers: { ko: 'SKU 코드', ja: 'SKUコード', en: 'SKU code' },
  },
  {
    name: 'sku_name',
    required: true,
    help: 'SKU name',
    headers: { ko: 'SKU 이름', ja: 'SKU名', en: 'SKU name' },
  },
  {
    name: 'barcode',
    required: false,
    help: 'Barcode (JAN/EAN); format the cell as text',
    headers: { ko: '바코드', ja: 'バーコード', en: 'Barcode' },
  },
  {
    name: 'seller_code',
    required: false,
    help: '판매자 정의 코드 of a product without options: Rakuten 商品番号',
    headers: { ko: '판매자 정의 코드', ja: '商品番号', en: 'Seller code' },
  },
  {
    name: 'option_code',
    required: false,
    help: 'Platform code of the option (rows of a product with options)',
    headers: { ko: '옵션 코드', ja: 'オプションコード', en: 'Option code' },
  },
  {
    name: 'option_name',
    required: false,
    help: 'Option name, e.g. M / ブラック',
    headers: { ko: '옵션 이름', ja: 'オプション名', en: 'Option name' },
  },
  {
    name: 'option_seller_code',
    required: false,
    help: '판매자 정의 코드 of the option: システム連携用SKU番号, or before the SKU migration 商品番号+横軸+縦軸 codes',
    headers: {
      ko: '옵션 판매자 정의 코드',
      ja: 'システム連携用SKU番号',
      en: 'Option seller code',
    },
  },
  {
    name: 'option_barcode',
    required: false,
    help: 'Barcode of the option',
    headers: { ko: '옵션 바코드', ja: 'オプションバーコード', en: 'Option barcode' },
  },
  {
    name: 'variant_id',
    required: false,
    help: 'Rakuten SKU管理番号 linked to the option',
    headers: { ko: 'SKU 관리번호', ja: 'SKU管理番号', en: 'Variant ID' },
  },
  {
    name: 'components',
    required: false,
    help: 'Bundle (set) contents: CODE*QTY separated by ; e.g. CUP-01*2;SAUCER-01*2',
    headers: { ko: '세트 구성', ja: 'セット内容', en: 'Components' },
  },
] as const;

/**
 * Columns of the name-rule import file (`POST /mappings/import`): one rule a row, as
 * `POST /mappings` takes it. item_name and option_text are compared with the order line exactly
 * (a cell's leading and trailing spaces are dropped; line breaks inside option_text stay, as
 * Excel's Alt+Enter writes them).
 */
export const RULE_IMPORT_COLUMNS = [
  {
    name: 'item_name',
    required: true,
    help: 'Rakuten item name exactly as on the order line (商品名)',
    headers: { ko: '상품명', ja: '商品名', en: 'Item name' },
  },
  {
    name: 'option_text',
    required: false,
    help: 'Option text exactly as on the order line, e.g. サイズ:M then a line break and カラー:ブラック; empty for a product without options',
    headers: { ko: '옵션 내용', ja: '項目・選択肢', en: 'Option text' },
  },
  {
    name: 'sku_code',
    required: true,
    help: 'Platform code of the single SKU, bundle or option the line maps to',
    headers: { ko: 'SKU 코드', ja: 'SKUコード', en: 'SKU code' },
  },
] as const;

export type RuleImportColumn = (typeof RULE_IMPORT_COLUMNS)[number]['name'];

/** Example rows of the name-rule template. */
export const RULE_IMPORT_EXAMPLE_ROWS: Partial<Record<RuleImportColumn, string>>[] = [
  { item_name: '有田焼 マグカップ 300ml', option_text: '', sku_code: 'MUG-002' },
  {
    item_name: 'オーガニックコットン Tシャツ',
    option_text: 'サイズ:M\nカラー:ブラック',
    sku_code: 'TEE001-M-BK',
  },
];

/** Languages the import's header row may be written in (and the template is offered in). */
export const SKU_IMPORT_LANGS = ['ko', 'ja', 'en'] as const;
export type SkuImportLang = (typeof SKU_IMPORT_LANGS)[number];

/** At most this many data rows per import file; a longer file is refused as a whole. */
export const SKU_IMPORT_MAX_ROWS = 100_000;

/** A rejected import lists its first this-many problems (and says how many there were). */
export const SKU_IMPORT_MAX_PROBLEMS = 1_000;

/**
 * A header cell as the import compares it: Unicode NFKC (full-width letters and digits become
 * ASCII, half-width katakana full-width), lower case, without spaces, `_`, `-`, `・` and a
 * trailing required mark such as `*`, `(필수)`, `（必須）` or `(required)`. So `SKU コード`,
 * `ＳＫＵコード` and `sku_code` all name the same column.
 */
export function normalizeImportHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[([](필수|必須|required)[)\]]$/u, '')
    .replace(/\*$/u, '')
    .replace(/[\s_\-・]/gu, '');
}

export type SkuImportColumn = (typeof SKU_IMPORT_COLUMNS)[number]['name'];

/** Example rows of the template (one of each kind), by column. */
export const SKU_IMPORT_EXAMPLE_ROWS: Partial<Record<SkuImportColumn, string>>[] = [
  { sku_code: 'MUG-002', sku_name: '有田焼 マグカップ 300ml', seller_code: 'mug-002' },
  {
    sku_code: 'TEE-001',
    sku_name: 'オーガニックコットン Tシャツ',
    option_code: 'TEE001-M-BK',
    option_name: 'M / ブラック',
    option_seller_code: 'TEE001-M-BK',
  },
  {
    sku_code: 'TEE-001',
    sku_name: 'オーガニックコットン Tシャツ',
    option_code: 'TEE001-L-BK',
    option_name: 'L / ブラック',
    option_seller_code: 'TEE001-L-BK',
    variant_id: 'tee-001-l-bk',
  },
  {
    sku_code: 'MUG-PAIR',
    sku_name: 'マグカップ ペアセット',
    seller_code: 'mug-pair',
    components: 'MUG-002*2',
  },
];
