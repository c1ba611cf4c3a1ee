import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIsoDateTime } from '@smartship/contracts';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidationOptions,
} from 'class-validator';

import { TOKEN_SCOPES, type TokenScope } from '../principal';

/** How far ahead a token's expiry may be: a year (366 days, for leap years). */
export const MAX_TOKEN_LIFETIME_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A date-time after now and at most MAX_TOKEN_LIFETIME_DAYS ahead (checked after the format). */
function IsTokenExpiry(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTokenExpiry',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return true; // the format rule reports it
          const at = Date.parse(value);
          if (Number.isNaN(at)) return true;
          const now = Date.now();
          return at > now && at <= now + MAX_TOKEN_LIFETIME_DAYS * DAY_MS;
        },
        defaultMessage: () =>
          `expiresAt must be in the future and at most ${MAX_TOKEN_LIFETIME_DAYS} days from now`,
      },
    },
    options,
  );
}

/** `POST /tokens`. */
export class CreateTokenDto {
  @ApiProperty({
    description: 'What the token is for, to recognise it when revoking.',
    maxLength: 100,
    example: 'warehouse script',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'name is required: what the token is for' })
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({
    enum: TOKEN_SCOPES,
    default: 'read',
    description:
      'What the token may do: read (acts as a viewer), write (as staff: catalog and ' +
      'fulfillment changes), admin (as an admin: everything but managing users). Without it: ' +
      'read. Never more than the caller may do (403 TOKEN_ESCALATION).',
  })
  @IsOptional()
  @IsIn(TOKEN_SCOPES, { message: `scope must be one of ${TOKEN_SCOPES.join(', ')}` })
  scope?: TokenScope;

  @ApiPropertyOptional({
    format: 'date-time',
    description: `When the token stops working (401 from then on): in the future, at most ${MAX_TOKEN_LIFETIME_DAYS} days ahead. Without it the token works until revoked (null is refused: leave the field out).`,
    example: '2026-06-30T00:00:00+09:00',
  })
  // Only absent is optional: @IsOptional let null through, and `new Date(null)` made a token
  // that expired in 1970 (201, stored and audited).
  @ValidateIf((_object, value) => value !== undefined)
  @IsIsoDateTime()
  @IsTokenExpiry()
  expiresAt?: string;
}
