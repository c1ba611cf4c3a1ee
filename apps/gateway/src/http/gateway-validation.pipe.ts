import {
  ArgumentMetadata,
  Injectable,
  ParseUUIDPipe,
  PipeTransform,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import type { FieldProblem } from '@smartship/contracts';

import { GatewayError, GatewayErrorCode, mergeProblems, validationFailed } from './gateway.errors';
import { findUnsafeText } from './unsafe-text';

/**
 * The global pipe: class-validator on bodies and queries (unknown fields refused), plus the
 * text check that class-validator has no rule for (invalid UTF-8, control characters), with one
 * error body naming every bad field.
 */
@Injectable()
export class GatewayValidationPipe implements PipeTransform {
  private readonly validation = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Values stay out of the errors: they may be secrets, and they are never echoed anyway.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(toFieldProblems(errors)),
  });

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const isDto = typeof metadata.metatype === 'function' && metadata.metatype !== Object;
    if (metadata.type === 'body' && isDto && !isPlainObject(value)) {
      throw validationFailed([
        { field: 'body', problems: ['body must be a JSON object, e.g. {"name": "…"}'] },
      ]);
    }
    const unsafe = findUnsafeText(value);
    try {
      const validated: unknown = await this.validation.transform(value, metadata);
      if (unsafe.length > 0) throw validationFailed(unsafe);
      return validated;
    } catch (error) {
      if (unsafe.length === 0) throw error;
      if (error instanceof GatewayError && error.code === GatewayErrorCode.ValidationFailed) {
        throw validationFailed(mergeProblems(unsafe, error.details as FieldProblem[]));
      }
      // A validator may throw on text that is not text: validator's isEmail runs encodeURI,
      // which throws a URIError on a lone surrogate (`{"email": "\ud800"}` was a 500). The
      // unsafe text is the problem to name then, not an internal error.
      throw validationFailed(unsafe);
    }
  }
}

/** class-validator's error tree as one entry per field, with dotted paths for nested fields. */
export function toFieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      withPath(text, error.property, field),
    );
    const nested = toFieldProblems(error.children ?? [], field);
    return own.length > 0 ? [{ field, problems: own }, ...nested] : nested;
  });
}

/** class-validator starts its messages with the bare property name; put the whole path there. */
function withPath(text: string, property: string, field: string): string {
  if (text.startsWith(`${property} `)) return `${field}${text.slice(property.length)}`;
  if (text.startsWith(`property ${property} `)) {
    return `property ${field}${text.slice(`property ${property}`.length)}`;
  }
  if (text.startsWith(`nested property ${property} `)) {
    return `${field}${text.slice(`nested property ${property}`.length)}`;
  }
  return field === property ? text : `${field}: ${text}`;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `:id` path parameters: a UUID, or a 400 naming the parameter. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      validationFailed([{ field: name, problems: [`${name} must be a UUID`] }]),
  });
}
