import { Type } from 'class-transformer';
import { IsString, ValidateBy, ValidateNested, type ValidationArguments } from 'class-validator';

import { isDateOnly, isIsoDateTime } from '../decorators';
import { ShopRefCall } from './shops.calls';

/*
 * Backfills: `POST /shops/:id/backfill {from, to}` pulls a shop's 発送待ち (300) orders over a
 * past range (up to Rakuten's 730 days), in the background; `GET /shops/:id/backfills` shows
 * progress. The range rules live here, so the gateway (400 before anything is stored or
 * counted) and the ingestion service (which splits the range) read a range the same way.
 */

/** How far back RMS searches orders (docs/rakuten-rms.md §2.1): a backfill starts no earlier. */
export const BACKFILL_MAX_DAYS_BACK = 730;

const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;

/** The JST calendar day of an instant, as `YYYY-MM-DD`. */
export function jstDay(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight JST at the start of a `YYYY-MM-DD` day. */
function jstStartOfDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - JST_OFFSET_MS);
}

/** The earliest `from` a backfill accepts at `now`: 00:00 JST of the day 730 days before today. */
export function earliestBackfillFrom(now: Date): Date {
  return jstStartOfDay(jstDay(new Date(now.getTime() - BACKFILL_MAX_DAYS_BACK * DAY_MS)));
}

/** A backfill's range as instants, once each bound is valid. */
export interface BackfillRange {
  from: Date;
  to: Date;
}

/**
 * Reads one bound: `YYYY-MM-DD` is a JST day (`from` its first second, `to` its last one, cut to
 * `now` when that is today); anything else must be an ISO-8601 date-time with an offset.
 * Returns null for a value that is neither.
 */
export function backfillBound(value: unknown, bound: 'from' | 'to', now: Date): Date | null {
  if (isDateOnly(value)) {
    const start = jstStartOfDay(value);
    if (bound === 'from') return start;
    const end = new Date(start.getTime() + DAY_MS - 1_000);
    return value === jstDay(now) && end > now ? now : end;
  }
  if (isIsoDateTime(value)) return new Date(value);
  return null;
}

/**
 * The problems of a backfill range, per field, as the seller reads them (empty: valid): each
 * bound a date or a date-time; `from` no earlier than 730 days before today; `to` not in the
 * future; `from` before `to`.
 */
export function backfillRangeProblems(
  from: unknown,
  to: unknown,
  now: Date = new Date(),
): { from?: string; to?: string } {
  const problems: { from?: string; to?: string } = {};
  const start = backfillBound(from, 'from', now);
  const end = backfillBound(to, 'to', now);
  const form = 'must be a date (YYYY-MM-DD, a JST day) or an ISO-8601 date-time with offset';
  if (!start) problems.from = `from ${form}`;
  else if (start < earliestBackfillFrom(now)) {
    problems.from = `from must be at most ${BACKFILL_MAX_DAYS_BACK} days back (Rakuten searches no further): ${jstDay(earliestBackfillFrom(now))} or later`;
  }
  if (!end) problems.to = `to ${form}`;
  else if (end.getTime() > now.getTime() + 1_000) problems.to = 'to must not be in the future';
  else if (start && start >= end) problems.to = 'to must be later than from';
  return problems;
}

/** The instants of a valid range (call after `backfillRangeProblems` found nothing). */
export function resolveBackfillRange(from: string, to: string, now: Date): BackfillRange {
  const start = backfillBound(from, 'from', now);
  const end = backfillBound(to, 'to', now);
  if (!start || !end) throw new RangeError('invalid backfill range');
  return { from: start, to: end > now ? now : end };
}

function IsBackfillBound(bound: 'from' | 'to'): PropertyDecorator {
  const problem = (args: ValidationArguments | undefined): string | undefined => {
    const object = (args?.object ?? {}) as { from?: unknown; to?: unknown };
    return backfillRangeProblems(object.from, object.to)[bound];
  };
  return ValidateBy({
    name: 'isBackfillBound',
    validator: {
      validate: (_value, args) => problem(args) === undefined,
      defaultMessage: (args) => problem(args) ?? `${bound} is invalid`,
    },
  });
}

/** `POST /shops/:id/backfill`: the range to pull, oldest first. */
export class StartBackfillBody {
  /** Start of the range: `YYYY-MM-DD` (00:00 JST) or a date-time; at most 730 days back. */
  @IsString()
  @IsBackfillBound('from')
  from: string;

  /** End of the range: `YYYY-MM-DD` (end of that JST day, or now for today) or a date-time ≤ now. */
  @IsString()
  @IsBackfillBound('to')
  to: string;
}

export class StartBackfillCall extends ShopRefCall {
  @ValidateNested()
  @Type(() => StartBackfillBody)
  body: StartBackfillBody;
}

/** `GET /shops/:id/backfills`. */
export class ListBackfillsCall extends ShopRefCall {}

/** `backfill`: started by a person; `sweep`: the periodic deep sweep over older windows. */
export type BackfillKind = 'backfill' | 'sweep';

/** `running` until every window is read (also while it waits for a retry); then `done` or `failed`. */
export type BackfillState = 'running' | 'done' | 'failed';

/** A backfill or deep sweep and how far it got. Counts are order numbers (受注番号). */
export interface BackfillView {
  id: string;
  shopId: string;
  kind: BackfillKind;
  state: BackfillState;
  /** The range, ISO-8601 (searched by order date, 注文日). */
  from: string;
  to: string;
  /** Search windows of ≤ 63 days: read completely / in all. */
  windows: { done: number; total: number };
  orders: {
    /** Order numbers in 300 the searches returned (a page read again after a restart counts again). */
    found: number;
    /** Stored and published as `order.pulled` by this backfill (each order once, platform-wide). */
    published: number;
    /** Already pulled before (by a poll, a pull or another backfill): not published again. */
    alreadyKnown: number;
    /** Not returned by getOrder, or unreadable. */
    failed: number;
  };
  /** RMS calls made: searchOrder pages, getOrder chunks. */
  calls: { searchOrder: number; getOrder: number };
  /** Why it failed (state `failed`), else null. */
  error: string | null;
  /** While running: the last transient failure, retried at `nextAttemptAt`; null when none. */
  lastError: string | null;
  nextAttemptAt: string | null;
  /** ISO-8601: when it was asked for, first worked on, finished (null until then). */
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** `GET /shops/:id/backfills`: newest first (at most 20), and the shop's deep sweep. */
export interface BackfillListView {
  items: BackfillView[];
  /** The periodic deep sweep; null when it is off or the shop is not polled on a schedule. */
  sweep: { everyHours: number; days: number; nextAt: string | null } | null;
}
