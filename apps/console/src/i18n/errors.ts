import { isMessageKey, translate } from './messages';
import type { Lang, MessageKey, Params } from './messages';

/** The gateway's error body: `{ statusCode, code, message, details }`. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

/** One field of a form the gateway refused, in the reader's language. */
export interface LocalizedFieldProblem {
  /** The field's path as the gateway named it, e.g. `options.0.code` (to focus the input). */
  field: string;
  /** The field's name for people, e.g. "샵 URL" or "옵션 › 1번째 › 코드". */
  label: string;
  problems: string[];
}

/** An error ready to show: a sentence, the fields to fix, and the server's own words. */
export interface LocalizedError {
  code: string;
  message: string;
  fields: LocalizedFieldProblem[];
  /** The gateway's English message, for support (shown folded). */
  original: string;
}

/**
 * The gateway writes its field problems in English; each known sentence is recognised here and
 * said again in the chosen language. The pattern list is ordered from specific to general.
 */
const PROBLEMS: { pattern: RegExp; key: MessageKey; params?: (m: RegExpMatchArray) => Params }[] = [
  {
    pattern: /names shop "([^"]*)" but the shop ID is "([^"]*)"/,
    key: 'problem.shopMismatch',
    params: (m) => ({ url: m[1], id: m[2].toLowerCase() }),
  },
  {
    pattern: /is on host (\S+?),/,
    key: 'problem.wrongHost',
    params: (m) => ({ host: m[1] }),
  },
  { pattern: /is not a URL/, key: 'problem.notUrl' },
  {
    pattern: /has scheme|has a query|must name exactly one shop ID|must be https:\/\/www\.rakuten/,
    key: 'problem.urlShape',
  },
  {
    pattern: /private|internal|loopback|link-local|reserved|localhost|not a public/i,
    key: 'problem.internalUrl',
  },
  {
    pattern: /must (be|use) (an |a valid )?https|https:\/\/ only|must start with https/i,
    key: 'problem.httpsOnly',
  },
  { pattern: /does not resolve/, key: 'problem.unresolvable' },
  { pattern: /user name or password/, key: 'problem.urlCredentials' },
  {
    pattern: /is required|is empty|should not be empty|must not be empty/,
    key: 'problem.required',
  },
  { pattern: /must be your Rakuten shop ID/, key: 'problem.shopIdFormat' },
  { pattern: /must be a postal code/, key: 'problem.zipCode' },
  { pattern: /must be a phone number/, key: 'problem.phone' },
  { pattern: /exactly as RMS shows it/, key: 'problem.keyFormat' },
  { pattern: /letters, digits or symbols without spaces, e\.g\./, key: 'problem.codeFormat' },
  { pattern: /SKU管理番号/, key: 'problem.variantId' },
  { pattern: /delivery company code/, key: 'problem.carrier' },
  {
    pattern: /no single SKU, bundle or option has the code (\S+)/,
    key: 'problem.noSkuCode',
    params: (m) => ({ code: m[1] }),
  },
  { pattern: /same tracking number twice/, key: 'problem.trackingDuplicate' },
  { pattern: /each of \S+ must be letters/, key: 'problem.trackingFormat' },
  {
    pattern: /must contain no more than (\d+) elements/,
    key: 'problem.tooMany',
    params: (m) => ({ n: m[1] }),
  },
  { pattern: /must contain at least \d+ elements?/, key: 'problem.tooFew' },
  {
    pattern: /must be shorter than or equal to (\d+) characters/,
    key: 'problem.tooLong',
    params: (m) => ({ n: m[1] }),
  },
  { pattern: /must not be less than (\d+)/, key: 'problem.min', params: (m) => ({ n: m[1] }) },
  { pattern: /must not be greater than (\d+)/, key: 'problem.max', params: (m) => ({ n: m[1] }) },
  { pattern: /must be an integer|must be a number/, key: 'problem.integer' },
  { pattern: /must be a boolean/, key: 'problem.boolean' },
  { pattern: /must be an email|e-?mail address/i, key: 'problem.email' },
  { pattern: /must be one of/, key: 'problem.oneOf' },
  { pattern: /must be a UUID/, key: 'problem.uuid' },
  { pattern: /YYYY-MM-DD|date/i, key: 'problem.date' },
  { pattern: /should not exist/, key: 'problem.unknownField' },
  { pattern: /multipart\/form-data/, key: 'problem.file' },
  { pattern: /no data rows/, key: 'problem.noRows' },
  { pattern: /duplicate|repeated|more than once|twice/i, key: 'problem.duplicate' },
];

/** One English problem sentence from the gateway in `lang` (a generic sentence when unknown). */
export function localizeProblem(lang: Lang, problem: string): string {
  for (const { pattern, key, params } of PROBLEMS) {
    const match = problem.match(pattern);
    if (match) return translate(lang, key, params?.(match));
  }
  return translate(lang, 'problem.other');
}

/** `options.0.code` → "옵션 › 1번째 › 코드": each segment's name, indexes counted from 1. */
export function localizeField(lang: Lang, field: string): string {
  return field
    .split('.')
    .map((segment) => {
      if (/^\d+$/.test(segment)) return translate(lang, 'field.item', { n: Number(segment) + 1 });
      const key = `field.${segment}`;
      return isMessageKey(key) ? translate(lang, key) : segment;
    })
    .join(' › ');
}

/** Whether the gateway's `field` (or one of its items, `kinds.2`) is the form's field `name`. */
export function fieldIs(field: string, name: string): boolean {
  return field === name || field.startsWith(`${name}.`);
}

/** Whether a refused call named `name` among its fields (to mark that input aria-invalid). */
export function namesField(body: ApiErrorBody | null, name: string): boolean {
  return !!body && fieldProblems(body.details).some((entry) => fieldIs(entry.field, name));
}

function fieldProblems(details: unknown): { field: string; problems: string[] }[] {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (entry): entry is { field: string; problems: string[] } =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as { field?: unknown }).field === 'string' &&
      Array.isArray((entry as { problems?: unknown }).problems),
  );
}

/** The gateway's error body in the chosen language, with each named field and its problems. */
export function localizeError(lang: Lang, body: ApiErrorBody): LocalizedError {
  const key = `error.${body.code}`;
  const message = isMessageKey(key)
    ? translate(lang, key)
    : translate(lang, 'error.unknown', { code: body.code });
  const fields = fieldProblems(body.details).map(({ field, problems }) => ({
    field,
    label: localizeField(lang, field),
    problems: problems.map((problem) => localizeProblem(lang, String(problem))),
  }));
  return { code: body.code, message, fields, original: body.message };
}

/** An import row problem (`reason` is the mapping service's English sentence). */
export function localizeImportReason(lang: Lang, reason: string): string {
  return localizeProblem(lang, reason) === translate(lang, 'problem.other')
    ? `${translate(lang, 'problem.other')} (${reason})`
    : localizeProblem(lang, reason);
}
