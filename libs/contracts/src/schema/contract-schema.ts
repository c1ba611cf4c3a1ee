import 'reflect-metadata';

import type { MetadataStorage as TypeStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

// class-transformer keeps the @Type targets in a storage its index does not export (and its
// CommonJS build has no typings next to it): loaded by path, typed by its declaration.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TypeStorage;
};

/*
 * JSON Schemas derived from the contract classes' class-validator decorators. The decorators stay
 * the one source of truth: this module reads their metadata and writes the same rules as JSON
 * Schema (draft-07), which `compiled-validators.ts` compiles with Ajv for the hot path and
 * `docs/schemas/` publishes for other consumers.
 *
 * Only the rules the contracts use are translated. Any other decorator makes `classSchema` throw,
 * so a new rule cannot be silently dropped from the compiled check: the unit test builds the
 * schema of every event version and would fail.
 *
 * Where JSON Schema counts differently from class-validator, the schema names the difference with
 * an `x-…` keyword that the compiled check evaluates with class-validator's own function (string
 * lengths as validator.js counts them, decimal places, UUID and base64 forms).
 */

/** A JSON Schema object (draft-07), as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/** A class whose instances the contracts validate. */
export type ContractClass = abstract new (...args: never[]) => object;

/** Thrown when a contract class uses a rule this module cannot translate. */
export class UnsupportedRuleError extends Error {
  override readonly name = 'UnsupportedRuleError';
}

/** The schemas of a class and of every class it nests, keyed by definition name. */
export interface SchemaSet {
  /** The schema of the class itself (`$ref`s point into `definitions`). */
  root: JsonSchema;
  /** One schema per nested class, by class name. */
  definitions: Record<string, JsonSchema>;
}

interface Collector {
  definitions: Record<string, JsonSchema>;
  names: Map<ContractClass, string>;
}

/**
 * Builds the JSON Schema of a contract class: its properties, which are required, and the rules
 * of each. Nested classes become `definitions` referenced by name.
 */
export function classSchema(cls: ContractClass, into?: SchemaSet['definitions']): SchemaSet {
  const collector: Collector = { definitions: into ?? {}, names: new Map() };
  for (const [name, schema] of Object.entries(collector.definitions)) {
    const owner = (schema as { 'x-class'?: ContractClass })['x-class'];
    if (owner) collector.names.set(owner, name);
  }
  return { root: objectSchema(cls, collector), definitions: collector.definitions };
}

/** Strips the helper `x-class` marks, giving the definitions as they are published. */
export function publishable(definitions: SchemaSet['definitions']): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(definitions)) {
    const { ['x-class']: _owner, ...rest } = schema;
    out[name] = rest;
  }
  return out;
}

function refTo(cls: ContractClass, collector: Collector): JsonSchema {
  let name = collector.names.get(cls);
  if (name === undefined) {
    name = cls.name;
    for (let n = 2; name in collector.definitions; n++) name = `${cls.name}${n}`;
    collector.names.set(cls, name);
    collector.definitions[name] = {}; // reserved first: classes may nest themselves
    collector.definitions[name] = { ...objectSchema(cls, collector), 'x-class': cls };
  }
  return { $ref: `#/definitions/${name}` };
}

function objectSchema(cls: ContractClass, collector: Collector): JsonSchema {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const metadata of metadatas) {
    const list = byProperty.get(metadata.propertyName) ?? [];
    list.push(metadata);
    byProperty.set(metadata.propertyName, list);
  }
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [property, list] of byProperty) {
    const { schema, presence } = propertySchema(cls, property, list, collector);
    properties[property] = schema;
    if (presence === 'required') required.push(property);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

type Presence = 'required' | 'optional';

/**
 * The schema of one property. class-validator skips every rule of an `@IsOptional` property that
 * is null or missing, and of an `@IsNullable` (ValidateIf value !== null) property that is null;
 * a property with rules and neither is required (its type rule fails on a missing value).
 */
function propertySchema(
  cls: ContractClass,
  property: string,
  metadatas: ValidationMetadata[],
  collector: Collector,
): { schema: JsonSchema; presence: Presence } {
  let optional = false;
  let nullable = false;
  const value: JsonSchema = {};
  const each: JsonSchema = {};
  for (const metadata of metadatas) {
    const where = `${cls.name}.${property}`;
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      if (metadata.name === 'isOptional') optional = true;
      else if (isNullWhenSkipped(metadata)) nullable = true;
      else throw new UnsupportedRuleError(`${where}: a @ValidateIf other than @IsNullable`);
      continue;
    }
    if (metadata.type === ValidationTypes.WHITELIST) continue;
    if (metadata.always || (metadata.groups?.length ?? 0) > 0) {
      throw new UnsupportedRuleError(`${where}: validation groups are not supported`);
    }
    if (metadata.type === ValidationTypes.NESTED_VALIDATION) {
      const target = defaultMetadataStorage.findTypeMetadata(cls, property);
      if (!target) throw new UnsupportedRuleError(`${where}: @ValidateNested without @Type`);
      const ref = refTo(target.typeFunction() as ContractClass, collector);
      if (metadata.each) Object.assign(each, ref);
      else Object.assign(value, ref);
      continue;
    }
    if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION) {
      throw new UnsupportedRuleError(`${where}: rule type ${metadata.type}`);
    }
    applyRule(metadata.each ? each : value, metadata, where);
  }
  for (const schema of [value, each]) {
    if (schema['type'] === 'string' && 'not' in schema) {
      delete schema['not'];
      schema['minLength'] = Math.max(1, (schema['minLength'] as number | undefined) ?? 0);
    }
  }
  if (Object.keys(each).length > 0) {
    if (value['type'] !== 'array') {
      throw new UnsupportedRuleError(`${cls.name}.${property}: { each: true } without @IsArray`);
    }
    value['items'] = withRefAlone(each);
  }
  const schema = withRefAlone(value);
  return {
    schema: nullable || optional ? { anyOf: [{ type: 'null' }, schema] } : schema,
    presence: optional ? 'optional' : 'required',
  };
}

/** Draft-07 ignores the keywords beside a `$ref`: the reference moves into an `allOf`. */
function withRefAlone(schema: JsonSchema): JsonSchema {
  const { $ref, ...rest } = schema;
  if ($ref === undefined || Object.keys(rest).length === 0) return schema;
  return { ...rest, allOf: [{ $ref }] };
}

/** True for the condition `@IsNullable` registers: skip the rules when the value is null. */
function isNullWhenSkipped(metadata: ValidationMetadata): boolean {
  const condition = metadata.constraints?.[0] as ((o: object, v: unknown) => boolean) | undefined;
  if (typeof condition !== 'function') return false;
  return (
    condition({}, null) === false &&
    condition({}, undefined) === true &&
    condition({}, '') === true &&
    condition({}, 0) === true
  );
}

function setType(schema: JsonSchema, type: string, where: string): void {
  const current = schema['type'];
  if (current === undefined || current === type) schema['type'] = type;
  else if (current === 'integer' && type === 'number') return;
  else if (current === 'number' && type === 'integer') schema['type'] = 'integer';
  else throw new UnsupportedRuleError(`${where}: both ${JSON.stringify(current)} and ${type}`);
}

function applyRule(schema: JsonSchema, metadata: ValidationMetadata, where: string): void {
  const constraints = (metadata.constraints ?? []) as unknown[];
  switch (metadata.name) {
    case 'isString':
      return setType(schema, 'string', where);
    case 'isNotEmpty':
      // Not '' (null and undefined are refused by the required / type rules around it); on a
      // string that is a minimum length of 1, set once every rule of the property is read.
      schema['not'] = { const: '' };
      return;
    case 'maxLength':
      // Code points (JSON Schema) are never fewer than validator.js's count: never looser.
      setType(schema, 'string', where);
      schema['maxLength'] = constraints[0];
      return;
    case 'isLength':
      setType(schema, 'string', where);
      schema['minLength'] = constraints[0];
      schema['maxLength'] = constraints[1];
      // A minimum above 1 in code points could be looser than validator.js's count.
      if ((constraints[0] as number) > 1) schema['x-length'] = [constraints[0], constraints[1]];
      return;
    case 'matches': {
      const pattern = constraints[0];
      if (!(pattern instanceof RegExp) || pattern.flags !== '' || constraints[1]) {
        throw new UnsupportedRuleError(`${where}: @Matches with flags`);
      }
      setType(schema, 'string', where);
      schema['pattern'] = pattern.source;
      return;
    }
    case 'isInt':
      return setType(schema, 'integer', where);
    case 'isNumber': {
      setType(schema, 'number', where);
      const options = (constraints[0] ?? {}) as { maxDecimalPlaces?: number };
      const known = ['maxDecimalPlaces'];
      if (Object.keys(options).some((key) => !known.includes(key))) {
        throw new UnsupportedRuleError(`${where}: @IsNumber options other than maxDecimalPlaces`);
      }
      if (options.maxDecimalPlaces !== undefined) {
        schema['x-maxDecimalPlaces'] = options.maxDecimalPlaces;
      }
      return;
    }
    case 'min':
      setType(schema, 'number', where);
      schema['minimum'] = constraints[0];
      return;
    case 'max':
      setType(schema, 'number', where);
      schema['maximum'] = constraints[0];
      return;
    case 'isBoolean':
      return setType(schema, 'boolean', where);
    case 'isIn':
      schema['enum'] = [...(constraints[0] as unknown[])];
      return;
    case 'isObject':
      return setType(schema, 'object', where);
    case 'isArray':
      return setType(schema, 'array', where);
    case 'arrayMinSize':
      schema['minItems'] = constraints[0];
      return;
    case 'arrayMaxSize':
      schema['maxItems'] = constraints[0];
      return;
    case 'isUuid':
      if (constraints[0] !== undefined && constraints[0] !== null) {
        throw new UnsupportedRuleError(`${where}: @IsUUID with a version`);
      }
      setType(schema, 'string', where);
      schema['format'] = 'uuid';
      return;
    case 'isBase64':
      if (constraints[0] !== undefined && constraints[0] !== null) {
        throw new UnsupportedRuleError(`${where}: @IsBase64 with options`);
      }
      setType(schema, 'string', where);
      schema['contentEncoding'] = 'base64';
      schema['x-base64'] = true;
      return;
    case 'isIsoDateTime':
      setType(schema, 'string', where);
      schema['format'] = 'date-time';
      return;
    case 'isDateOnly':
      setType(schema, 'string', where);
      schema['format'] = 'date';
      return;
    default:
      throw new UnsupportedRuleError(`${where}: rule ${metadata.name ?? metadata.type}`);
  }
}
