import type { ValidationError } from 'class-validator';

/**
 * The error body every service answers a call with, and the gateway returns over HTTP:
 * `{ statusCode, code, message, details }` (docs/design.md, "Errors"). `details` names the fields for
 * validation errors; it never carries secret values.
 */
export interface ServiceErrorBody {
  /** HTTP status the gateway answers with (400, 404, 409, 422, 503, …). */
  statusCode: number;
  /** Stable machine-readable code, e.g. VALIDATION_FAILED, SHOP_NOT_FOUND. */
  code: string;
  /** A sentence a seller or operator can act on. */
  message: string;
  /** Per-field problems or other structured context. */
  details?: unknown;
}

/** One invalid field of a request. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `options.autoOrderSync`. */
  field: string;
  /** What is wrong and what is expected. */
  problems: string[];
}

export function isServiceErrorBody(value: unknown): value is ServiceErrorBody {
  const body = value as Partial<ServiceErrorBody> | null;
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof body.statusCode === 'number' &&
    typeof body.code === 'string' &&
    typeof body.message === 'string'
  );
}

/**
 * class-validator errors as one entry per field, with dotted paths for nested fields
 * (`options.autoOrderSync`) and the messages without the field name repeated.
 */
export function toFieldProblems(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) problems.push({ field, problems: messages });
    if (error.children?.length) problems.push(...toFieldProblems(error.children, field));
  }
  return problems;
}

/** "shopUrl: must be …; options.autoOrderSync: must be a boolean value" */
export function describeFieldProblems(problems: readonly FieldProblem[]): string {
  return problems.map(({ field, problems: list }) => `${field}: ${list.join(', ')}`).join('; ');
}
