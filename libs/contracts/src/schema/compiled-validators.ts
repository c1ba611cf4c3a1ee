import Ajv, { type ValidateFunction } from 'ajv';
import { isBase64, isNumber, isUUID, length } from 'class-validator';

import { isDateOnly, isIsoDateTime } from '../decorators';
import { EventEnvelope } from '../envelope';
import { EVENT_DEFINITIONS, type DataClass } from '../registry';
import { isEventType, isTenantScoped, type EventType } from '../topics';
import { classSchema, publishable, type JsonSchema } from './contract-schema';

/*
 * The fast check of events: the JSON Schemas derived from the contract classes, compiled once by
 * Ajv into plain functions. The codec runs it first; only when it refuses does the codec run
 * class-validator, which then decides and words the violations. So the compiled check may be
 * stricter than the decorators (a refusal only costs time) but never looser: every rule without
 * an exact JSON Schema twin is an `x-…` keyword evaluated with class-validator's own function,
 * and the unit test compares both on every example and on thousands of mutations of them.
 *
 * Ajv removes the properties a schema does not list (`removeAdditional: 'all'`), as the codec's
 * whitelist did: the checked value is changed in place, so callers pass a copy they own.
 */

/** Checks a value in place (unknown properties removed); true when it is valid. */
export type CompiledCheck = (value: unknown) => boolean;

const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

let ajvInstance: Ajv | undefined;

function ajv(): Ajv {
  if (ajvInstance) return ajvInstance;
  const instance = new Ajv({
    allErrors: false,
    removeAdditional: 'all',
    coerceTypes: false,
    useDefaults: false,
    strict: true,
    // Checks run on data parsed from JSON or copied through it: no undefined or NaN can reach them.
    code: { optimize: true },
  });
  instance.addFormat('uuid', { type: 'string', validate: (value) => isUUID(value) });
  instance.addFormat('date-time', { type: 'string', validate: isIsoDateTime });
  instance.addFormat('date', { type: 'string', validate: isDateOnly });
  instance.addKeyword({
    keyword: 'x-length',
    type: 'string',
    schemaType: 'array',
    errors: false,
    validate: ([min, max]: [number, number], value: string) => length(value, min, max),
  });
  instance.addKeyword({
    keyword: 'x-maxDecimalPlaces',
    type: 'number',
    schemaType: 'number',
    errors: false,
    validate: (places: number, value: number) => isNumber(value, { maxDecimalPlaces: places }),
  });
  instance.addKeyword({
    keyword: 'x-base64',
    type: 'string',
    schemaType: 'boolean',
    errors: false,
    validate: (_flag: boolean, value: string) => isBase64(value),
  });
  ajvInstance = instance;
  return instance;
}

function dataClassOf(type: EventType, version: number): DataClass | undefined {
  if (!isEventType(type)) return undefined;
  const versions = EVENT_DEFINITIONS[type].versions as Record<number, DataClass | undefined>;
  return Object.prototype.hasOwnProperty.call(versions, version) ? versions[version] : undefined;
}

/**
 * The JSON Schema of the data of one event version, with the definitions of its nested classes.
 * undefined when the type has no such version.
 */
export function eventDataSchema(type: EventType, version: number): JsonSchema | undefined {
  const cls = dataClassOf(type, version);
  if (!cls) return undefined;
  const { root, definitions } = classSchema(cls);
  return {
    $schema: JSON_SCHEMA_DRAFT,
    title: `${type} v${version} data`,
    ...root,
    definitions: publishable(definitions),
  };
}

/**
 * The JSON Schema of a whole event (envelope and data) of one type and version, as a Kafka
 * message value carries it. undefined when the type has no such version.
 */
export function eventSchema(type: EventType, version: number): JsonSchema | undefined {
  const cls = dataClassOf(type, version);
  if (!cls) return undefined;
  const definitions = {};
  const envelope = classSchema(EventEnvelope, definitions).root as {
    properties: Record<string, JsonSchema>;
    required: string[];
  };
  const data = classSchema(cls, definitions).root;
  const shopScoped = !isTenantScoped(type);
  const properties: Record<string, JsonSchema> = {
    ...envelope.properties,
    type: { const: type },
    version: { const: version },
    // Shop-scoped events name the shop connection; tenant-scoped ones carry null.
    shopId: shopScoped
      ? (envelope.properties['shopId'] as { anyOf: JsonSchema[] }).anyOf[1]
      : { type: 'null' },
    data,
  };
  const required = [...envelope.required.filter((name) => name !== 'shopId')];
  if (shopScoped) required.push('shopId');
  return {
    $schema: JSON_SCHEMA_DRAFT,
    title: `${type} v${version}`,
    type: 'object',
    properties,
    required,
    definitions: publishable(definitions),
  };
}

const eventChecks = new Map<string, CompiledCheck | null>();
const dataChecks = new Map<string, CompiledCheck | null>();

function compiled(
  cache: Map<string, CompiledCheck | null>,
  type: EventType,
  version: number,
  build: (type: EventType, version: number) => JsonSchema | undefined,
): CompiledCheck | undefined {
  const id = `${type}@${version}`;
  let check = cache.get(id);
  if (check === undefined) {
    const schema = build(type, version);
    if (schema) {
      const { $schema: _draft, ...body } = schema;
      const validate: ValidateFunction = ajv().compile(body);
      check = (value) => validate(value) === true;
    } else {
      check = null;
    }
    cache.set(id, check);
  }
  return check ?? undefined;
}

/** The compiled check of a whole event of this type and version (undefined: no such version). */
export function compiledEventCheck(type: EventType, version: number): CompiledCheck | undefined {
  return compiled(eventChecks, type, version, eventSchema);
}

/** The compiled check of an event's data of this type and version (undefined: no such version). */
export function compiledDataCheck(type: EventType, version: number): CompiledCheck | undefined {
  return compiled(dataChecks, type, version, eventDataSchema);
}
