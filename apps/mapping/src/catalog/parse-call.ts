import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { toFieldProblems } from '@smartship/contracts';

import { MappingError } from './mapping.errors';

/**
 * Validates a call's payload against its contract class, as the gateway did: a service trusts no
 * caller. Unknown fields are refused; the error names every bad field.
 */
export function parseCall<T extends object>(type: new () => T, payload: unknown): T {
  const call = plainToInstance(type, payload ?? {});
  const errors = validateSync(call, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw MappingError.invalid(toFieldProblems(errors));
  return call;
}
