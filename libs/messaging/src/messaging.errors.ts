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

/** The message of any thrown value, without its stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
