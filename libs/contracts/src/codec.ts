import { randomUUID } from 'node:crypto';

import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';

import { ContractViolationError, summarizeViolations } from './contracts.errors';
import { EventEnvelope, shopIdViolations } from './envelope';
import {
  EVENT_DEFINITIONS,
  type AnyEvent,
  type DataClass,
  type EventDataMap,
  type EventDefinition,
  type EventOf,
  type EventUnion,
} from './registry';
import { compiledDataCheck, compiledEventCheck } from './schema/compiled-validators';
import { isEventType, isTenantScoped, type EventType, type TenantScopedEventType } from './topics';

/*
 * Encoding and decoding of event envelopes. Producers build events with `createEvent` (which
 * refuses invalid data) and publish `encodeEvent(event)` under `eventKey(event)`. Consumers call
 * `decodeEvent` and dead-letter any `{ ok: false }` result with its code and reason: every
 * failure here is permanent, retrying cannot fix the message.
 *
 * Each function runs the compiled check first (schema/compiled-validators.ts: the same rules as
 * the decorators, as Ajv code) and class-validator only when that check refuses, to decide and to
 * name the failing fields. Valid events — nearly all — never reach class-validator. Events and
 * their data are plain JSON objects, never instances of the contract classes.
 */

const VALIDATOR_OPTIONS: ValidatorOptions = {
  // Unknown fields are stripped, not refused: a newer producer may add optional fields without
  // bumping the version (docs/design.md, "Versioning").
  whitelist: true,
  forbidNonWhitelisted: false,
  forbidUnknownValues: true,
  // Keep values out of ValidationError objects so that nothing downstream can log them by mistake.
  validationError: { target: false, value: false },
};

/** Fields given to `createEvent`; `shopId` is required exactly for shop-scoped event types. */
export type CreateEventInput<K extends EventType> = {
  /** Platform tenant the event belongs to. */
  tenantId: string;
  /** Id shared by the events of one causal chain; defaults to the new event's own id. */
  correlationId?: string;
  /** The event's data, validated against the type's current version. */
  data: EventDataMap[K];
} & (K extends TenantScopedEventType
  ? { /** Tenant-scoped events have no shop. */ shopId?: null }
  : { /** Platform shop connection id. */ shopId: string });

/** Overrides for `createEvent`, mainly for tests and for re-building a stored event. */
export interface CreateEventOptions {
  /** Event id (UUID); a new random UUID by default. */
  id?: string;
  /** When the fact happened; now by default. Dates are written as ISO-8601 UTC (`…Z`). */
  occurredAt?: Date | string;
}

/** Why a message could not be decoded; all are permanent (dead-letter, do not retry). */
export type DecodeErrorCode =
  | 'malformed_json'
  | 'invalid_envelope'
  | 'unknown_type'
  | 'unexpected_type'
  | 'unknown_version'
  | 'invalid_data';

/** A message that could not be decoded. `reason` names fields and rules, never values. */
export interface DecodeFailure {
  ok: false;
  /** Machine-readable failure class. */
  code: DecodeErrorCode;
  /** Failing fields with their paths and the rules they broke, for the dead-letter record. */
  reason: string;
  /** The event type, when the message named a known one. */
  type?: EventType;
}

/** The result of `decodeEvent`. */
export type DecodeResult<E = AnyEvent> = { ok: true; event: E } | DecodeFailure;

/** Property names that could change an instance's prototype or constructor once copied. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Text that may hold one of UNSAFE_KEYS: the names themselves, or any \u escape (a key can be
 * spelled `"__pro\u0074o__"`). Only such text is parsed with the reviver that drops them — a
 * reviver makes JSON.parse four to five times slower, and the platform's own events never match.
 */
const MAYBE_UNSAFE = /"(?:__proto__|constructor|prototype)"|\\u/;

function parseJson(text: string): unknown {
  return MAYBE_UNSAFE.test(text)
    ? JSON.parse(text, (key, value: unknown) => (UNSAFE_KEYS.has(key) ? undefined : value))
    : JSON.parse(text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Flattens class-validator errors into `path: message` entries (paths like `a.b.0.c`). */
export function formatValidationErrors(errors: readonly ValidationError[], prefix = ''): string[] {
  const violations: string[] = [];
  for (const error of errors) {
    const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) {
      violations.push(`${path}: ${message}`);
    }
    if (error.children && error.children.length > 0) {
      violations.push(...formatValidationErrors(error.children, path));
    }
  }
  return violations;
}

/** Validates plain data with the decorators of `cls`; on success a copy without unknown fields. */
function toValidInstance<T extends object>(
  cls: DataClass<T>,
  plain: unknown,
  path: string,
): { instance: T; violations: [] } | { instance?: undefined; violations: string[] } {
  if (!isPlainObject(plain)) return { violations: [`${path}: ${path} must be an object`] };
  const instance = plainToInstance(cls, plain);
  const violations = formatValidationErrors(validateSync(instance, VALIDATOR_OPTIONS), path);
  // Handed on as plain JSON data, like the compiled check's result, never as a class instance.
  return violations.length === 0
    ? { instance: jsonCopy(instance) as T, violations: [] }
    : { violations };
}

function definitionOf(type: EventType): EventDefinition<EventType> {
  return EVENT_DEFINITIONS[type] as unknown as EventDefinition<EventType>;
}

/**
 * Validates event data against its class (the current version unless `version` is given) and
 * returns the validated instance, with unknown fields stripped. Throws `ContractViolationError`
 * listing every failing field.
 */
export function validateData<K extends EventType>(
  type: K,
  data: unknown,
  version: number = EVENT_DEFINITIONS[type].currentVersion,
): EventDataMap[K] {
  const cls = definitionOf(type).versions[version];
  if (cls === undefined) {
    throw new ContractViolationError(type, [`version: ${type} has no version ${version}`]);
  }
  const copy = jsonCopy(data);
  if (copy !== undefined && compiledDataCheck(type, version)!(copy)) {
    return copy as EventDataMap[K];
  }
  const result = toValidInstance(cls, data, 'data');
  if (result.instance === undefined) throw new ContractViolationError(type, result.violations);
  return result.instance as EventDataMap[K];
}

/**
 * Builds a validated event of the type's current version with a new id, `occurredAt` now and
 * `correlationId` defaulting to the id. Throws `ContractViolationError` if anything is invalid,
 * so a producer cannot emit an event its consumers would dead-letter.
 */
export function createEvent<K extends EventType>(
  type: K,
  input: CreateEventInput<K>,
  options: CreateEventOptions = {},
): EventOf<K> {
  const id = options.id ?? randomUUID();
  const occurredAt =
    options.occurredAt instanceof Date
      ? options.occurredAt.toISOString()
      : (options.occurredAt ?? new Date().toISOString());
  const version = EVENT_DEFINITIONS[type].currentVersion;
  const data = jsonCopy(input.data);
  if (data !== undefined) {
    const event = {
      id,
      type,
      version,
      occurredAt,
      tenantId: input.tenantId,
      shopId: input.shopId ?? null,
      correlationId: input.correlationId ?? id,
      data,
    };
    if (compiledEventCheck(type, version)!(event)) return event as unknown as EventOf<K>;
  }

  // Refused by the compiled check: class-validator decides and names the failing fields.
  const envelope = new EventEnvelope<EventDataMap[K]>();
  envelope.id = id;
  envelope.type = type;
  envelope.version = version;
  envelope.occurredAt = occurredAt;
  envelope.tenantId = input.tenantId;
  envelope.shopId = input.shopId ?? null;
  envelope.correlationId = input.correlationId ?? id;
  envelope.data = input.data;

  const violations = [
    ...formatValidationErrors(validateSync(envelope, VALIDATOR_OPTIONS)),
    ...shopIdViolations(envelope),
  ];
  if (violations.length > 0) throw new ContractViolationError(type, violations);

  envelope.data = validateData(type, input.data);
  return { ...envelope } as EventOf<K>;
}

/**
 * A copy of a producer's value as JSON would carry it (dates as strings, undefined dropped), for
 * the compiled check to strip in place; undefined when it cannot be written as JSON at all.
 */
function jsonCopy(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The Kafka message key for an event (see EVENT_DEFINITIONS). */
export function eventKey(event: AnyEvent): string {
  const key = definitionOf(event.type).key as (event: AnyEvent) => string;
  return key(event);
}

/** The Kafka message value for an event: its envelope as a JSON string. */
export function encodeEvent(event: AnyEvent | EventEnvelope): string {
  return JSON.stringify(event);
}

function failure(code: DecodeErrorCode, reason: string, type?: EventType): DecodeFailure {
  return type === undefined ? { ok: false, code, reason } : { ok: false, code, reason, type };
}

/**
 * Parses and validates a Kafka message value. With `accept`, only those event types are
 * accepted (others fail with `unexpected_type`). Checks run in this order: JSON, event type,
 * accepted type, envelope fields, version, data. On success `event.data` is the validated
 * data-class instance with unknown fields stripped.
 */
export function decodeEvent<K extends EventType>(
  raw: string | Buffer | null | undefined,
  accept: readonly K[],
): DecodeResult<EventUnion<K>>;
export function decodeEvent(
  raw: string | Buffer | null | undefined,
  accept?: readonly string[],
): DecodeResult;
export function decodeEvent(
  raw: string | Buffer | null | undefined,
  accept?: readonly string[],
): DecodeResult {
  return decode(raw, accept, true);
}

function decode(
  raw: string | Buffer | null | undefined,
  accept: readonly string[] | undefined,
  compiledFirst: boolean,
): DecodeResult {
  if (raw === null || raw === undefined) {
    return failure('malformed_json', 'message has no value');
  }
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch {
    // The parser's own message quotes the input, which may hold personal data: not repeated.
    return failure('malformed_json', 'message value is not valid JSON');
  }
  if (!isPlainObject(parsed)) {
    return failure('invalid_envelope', 'envelope must be a JSON object');
  }

  const type = parsed['type'];
  if (typeof type !== 'string' || type === '') {
    return failure('invalid_envelope', 'type: type must be a non-empty string');
  }
  if (!isEventType(type)) {
    return failure('unknown_type', 'type: type is not a known event type');
  }
  if (accept !== undefined && !accept.includes(type)) {
    return failure(
      'unexpected_type',
      `type: ${type} is not accepted here (accepted: ${accept.join(', ')})`,
      type,
    );
  }

  const version = parsed['version'];
  const check =
    compiledFirst && typeof version === 'number' ? compiledEventCheck(type, version) : undefined;
  if (check && check(parsed)) {
    const event = parsed as unknown as AnyEvent;
    const upgrade = definitionOf(type).upgrades?.[version as number] as
      ((data: object) => unknown) | undefined;
    if (upgrade) (event as { data: unknown }).data = upgrade(event.data);
    if (isTenantScoped(type)) (event as { shopId: null }).shopId = null;
    return { ok: true, event };
  }
  // Refused by the compiled check, which may have removed properties: class-validator decides,
  // on a fresh parse, and names the failing fields.
  return decodeSlowly(type, parseJson(text) as Record<string, unknown>);
}

/**
 * What the decorators alone say of a message, without the compiled check: for the test that
 * compares both. Consumers call `decodeEvent`.
 * @internal
 */
export function decodeWithDecorators(raw: string | Buffer | null | undefined): DecodeResult {
  return decode(raw, undefined, false);
}

function decodeSlowly(type: EventType, parsed: Record<string, unknown>): DecodeResult {
  const envelope = plainToInstance(EventEnvelope, parsed);
  const envelopeViolations = [
    ...formatValidationErrors(validateSync(envelope, VALIDATOR_OPTIONS)),
    ...shopIdViolations(envelope),
  ];
  if (envelopeViolations.length > 0) {
    return failure('invalid_envelope', summarizeViolations(envelopeViolations), type);
  }

  const definition = definitionOf(type);
  const cls = definition.versions[envelope.version];
  if (cls === undefined) {
    const known = Object.keys(definition.versions).join(', ');
    return failure(
      'unknown_version',
      `version: this consumer knows ${type} versions ${known} only`,
      type,
    );
  }

  const data = toValidInstance(cls, parsed['data'], 'data');
  if (data.instance === undefined) {
    return failure(
      'invalid_data',
      `${type} v${envelope.version}: ${summarizeViolations(data.violations)}`,
      type,
    );
  }
  const upgrade = definition.upgrades?.[envelope.version] as
    ((data: object) => unknown) | undefined;
  envelope.data = upgrade ? upgrade(data.instance) : data.instance;
  if (isTenantScoped(type)) envelope.shopId = null;
  return { ok: true, event: { ...envelope } as AnyEvent };
}
