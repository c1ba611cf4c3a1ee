import type { EventType } from './topics';

/**
 * A producer tried to build an event that breaks its contract. Thrown by `createEvent` and
 * `validateData` so that an invalid event is never written to the outbox. The message lists the
 * failing fields with their paths and the rules they broke, never their values (events carry
 * personal data and errors end up in logs).
 */
export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';

  constructor(
    /** Event type being built. */
    readonly type: EventType,
    /** One entry per broken rule: `path: message`, e.g. `data.order.orderNumber: … empty`. */
    readonly violations: readonly string[],
  ) {
    super(`Invalid ${type} event: ${summarizeViolations(violations)}`);
  }
}

/** Most violations shown in one message; enough to diagnose, short enough for a DLQ header. */
const MAX_LISTED_VIOLATIONS = 20;

/** Joins violations into one line, listing at most the first 20. */
export function summarizeViolations(violations: readonly string[]): string {
  const listed = violations.slice(0, MAX_LISTED_VIOLATIONS).join('; ');
  const more = violations.length - MAX_LISTED_VIOLATIONS;
  return more > 0 ? `${listed}; and ${more} more` : listed;
}
