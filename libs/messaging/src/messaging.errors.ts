/**
 * Thrown by an event handler when the event can never be applied (it contradicts the handler's
 * data, refers to something that cannot exist, …). The consumer dead-letters it with the reason
 * and goes on with the partition. Every other error is treated as transient and retried.
 */
export class PermanentError extends Error {
  constructor(
    /** Short machine-readable reason, copied into the dead-letter headers. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

export function isPermanentError(error: unknown): error is PermanentError {
  return error instanceof PermanentError;
}

/**
 * The permanent failure an error means, if it is one: a PermanentError, or a PostgreSQL "data
 * exception" (SQLSTATE class 22: a value the column cannot hold, such as a shop id that is not a
 * UUID) — retrying such an event can never succeed, so it must not block its partition. The
 * reason carries the SQLSTATE only: PostgreSQL's message quotes the offending value.
 */
export function permanentFailureOf(error: unknown): PermanentError | null {
  if (error instanceof PermanentError) return error;
  const sqlState = (error as { code?: unknown } | null)?.code;
  if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
    return new PermanentError(
      'data_exception',
      `the database refused a value of the event (SQLSTATE ${sqlState})`,
    );
  }
  return null;
}

/** The message of any thrown value, without its stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
