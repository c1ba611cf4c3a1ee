import type { FieldProblem } from '@smartship/contracts';

/**
 * Characters a seller never types on purpose: U+FFFD (what body-parser makes of bytes that are
 * not UTF-8), C0 controls other than tab and line breaks (keys are pasted with those and then
 * trimmed), DEL, C1 controls, and unpaired surrogates (a JSON `\ud800` escape). A key or URL
 * holding one would be stored broken and fail later at Rakuten with a puzzling error.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\uFFFD\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Keys that name an object's prototype machinery, never a field of any request. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper than this is not a request body any route accepts; stop walking and say so. */
const MAX_DEPTH = 16;

/**
 * Every string (value or key) in a parsed JSON value that holds an unsafe character, and every
 * prototype-related key, by dotted path. Values are never echoed: they may be secrets.
 */
export function findUnsafeText(value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  walk(value, '', 0, problems);
  return problems;
}

function walk(value: unknown, path: string, depth: number, problems: FieldProblem[]): void {
  const field = path === '' ? 'body' : path;
  if (typeof value === 'string') {
    if (UNSAFE.test(value)) {
      problems.push({
        field,
        problems: [
          `${field} contains a character that is not text (invalid UTF-8, a control character or a broken surrogate): send it as UTF-8 without control characters`,
        ],
      });
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_DEPTH) {
    problems.push({ field, problems: [`${field} is nested more than ${MAX_DEPTH} levels deep`] });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    if (RESERVED_KEYS.has(key)) {
      // class-transformer drops these silently, so forbidNonWhitelisted never sees them.
      problems.push({ field: childPath, problems: [`property ${childPath} should not exist`] });
      continue;
    }
    if (UNSAFE.test(key)) {
      problems.push({
        field: childPath,
        problems: [
          `a field name contains a character that is not text (invalid UTF-8 or a control character)`,
        ],
      });
      continue;
    }
    walk(child, childPath, depth + 1, problems);
  }
}
