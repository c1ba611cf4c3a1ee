// class-transformer's @Type reads design-time metadata through the Reflect API; importing the
// polyfill here keeps the contracts usable outside Nest (scripts, tools, tests). It is idempotent.
import 'reflect-metadata';

import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  buildMessage,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';

/*
 * Shared property decorators for contract classes. Every default message names the property and
 * the rule, never the value, because the decoder's failure reason must not leak personal data.
 */

/** Several property decorators applied as one. */
function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };
}

/** A string with at least one character, optionally bounded in length. */
export function IsNonEmptyString(
  maxLength?: number,
  options?: ValidationOptions,
): PropertyDecorator {
  const decorators = [IsString(options), IsNotEmpty(options)];
  if (maxLength !== undefined) decorators.push(MaxLength(maxLength, options));
  return compose(...decorators);
}

/** An amount in whole Japanese yen. Negative amounts are allowed only where `min` says so. */
export function IsYen(min: number | null = 0, options?: ValidationOptions): PropertyDecorator {
  return min === null ? IsInt(options) : compose(IsInt(options), Min(min, options));
}

/** A whole count (units, parcels, stock) of at least `min`. */
export function IsCount(min = 0, max?: number, options?: ValidationOptions): PropertyDecorator {
  const decorators = [IsInt(options), Min(min, options)];
  if (max !== undefined) decorators.push(Max(max, options));
  return compose(...decorators);
}

/** Highest order revision the contracts accept: a thousand changes of one order is a fault. */
export const MAX_ORDER_REVISION = 1_000;

/**
 * An order's revision on order events: a whole number 1..MAX_ORDER_REVISION, optional because
 * absent means 1 (events written before revisions existed carry none).
 */
export function IsOrderRevision(options?: ValidationOptions): PropertyDecorator {
  return compose(
    IsOptional(options),
    IsInt(options),
    Min(1, options),
    Max(MAX_ORDER_REVISION, options),
  );
}

/**
 * The property must be present but may be `null` (unlike `@IsOptional`, which also lets it be
 * missing). Used where "not known yet" is a meaningful value the producer must state.
 */
export function IsNullable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== null, options);
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/**
 * True for an ISO-8601 date-time that states its offset (`Z`, `+09:00`, or RMS's `+0900`), with a
 * real calendar date and time. A local time without offset is refused because it is ambiguous
 * between JST and UTC.
 */
export function isIsoDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return false;
  const [, year, month, day, hour, minute, second, zone, offsetHours, offsetMinutes] = match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return false;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return false;
  if (zone !== 'Z' && (Number(offsetHours) > 14 || Number(offsetMinutes) > 59)) return false;
  return true;
}

/** True for a calendar date `YYYY-MM-DD` that exists. */
export function isDateOnly(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_ONLY.exec(value);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** An ISO-8601 date-time string with an explicit offset, e.g. `2025-03-01T10:15:00+09:00`. */
export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDateTime',
      validator: {
        validate: (value) => isIsoDateTime(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an ISO-8601 date-time with a time-zone offset`,
          options,
        ),
      },
    },
    options,
  );
}

/** A calendar date `YYYY-MM-DD` without time or zone (Rakuten's date format; JST by meaning). */
export function IsDateOnly(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDateOnly',
      validator: {
        validate: (value) => isDateOnly(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a date in the form YYYY-MM-DD`,
          options,
        ),
      },
    },
    options,
  );
}

/** A Rakuten delivery company code: four digits as a string, e.g. `'1001'` (Yamato). */
export function IsCarrierCode(options?: ValidationOptions): PropertyDecorator {
  return compose(
    IsString(options),
    Matches(/^\d{4}$/, {
      message: '$property must be a Rakuten delivery company code of four digits',
      ...options,
    }),
  );
}

/**
 * A nested object validated by its own class. `@IsObject` is part of it because
 * `@ValidateNested` alone lets an empty array through where an object is required.
 */
export function NestedObject(type: () => new () => object): PropertyDecorator {
  return compose(IsObject(), ValidateNested(), Type(type));
}

/**
 * An array of nested objects, each validated by `type`, with `min..max` elements. `@IsObject`
 * on each element because `@ValidateNested` alone passes an element that is itself an array (it
 * validates that array's elements instead, so `[[]]` would pass).
 */
export function NestedArray(
  type: () => new () => object,
  { min = 0, max }: { min?: number; max?: number } = {},
): PropertyDecorator {
  const decorators = [
    IsArray(),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(type),
  ];
  if (min > 0) decorators.push(ArrayMinSize(min));
  if (max !== undefined) decorators.push(ArrayMaxSize(max));
  return compose(...decorators);
}
