import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

import { TENANT_ROLES, type TenantRole } from '../../access/principal';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const EMAIL_MESSAGE = 'email must be an e-mail address';

/** `POST /session`. */
export class SignInDto {
  @ApiProperty({ example: 'owner@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: EMAIL_MESSAGE })
  @MaxLength(320)
  email: string;

  @ApiProperty({ description: 'The password (never logged or stored as given).' })
  @IsString()
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional({ description: 'The 6-digit code, once two-step sign-in is on.' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'totpCode must be 6 digits' })
  totpCode?: string;
}

/** `POST /operators`. */
export class CreateOperatorDto {
  @ApiProperty({ example: 'ops@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: EMAIL_MESSAGE })
  @MaxLength(320)
  email: string;

  @ApiProperty({ description: 'At least 12 characters, not a common password.' })
  @IsString()
  password: string;
}

/** `POST /users/invitations`. */
export class InviteDto {
  @ApiProperty({ example: 'staff@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: EMAIL_MESSAGE })
  @MaxLength(320)
  email: string;

  @ApiProperty({ enum: TENANT_ROLES })
  @IsIn(TENANT_ROLES, { message: `role must be one of ${TENANT_ROLES.join(', ')}` })
  role: TenantRole;
}

/** `POST /invitations/accept`. */
export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token of the invitation link (`inv_…`).' })
  @IsString()
  @MaxLength(100)
  token: string;

  @ApiProperty({ description: 'At least 12 characters, not a common password.' })
  @IsString()
  password: string;
}

/** `PATCH /users/:id`. */
export class UpdateUserDto {
  @ApiPropertyOptional({ enum: TENANT_ROLES })
  @IsOptional()
  @IsIn(TENANT_ROLES, { message: `role must be one of ${TENANT_ROLES.join(', ')}` })
  role?: TenantRole;

  @ApiPropertyOptional({
    description: 'true: the person can no longer sign in; their sessions end.',
  })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

/** `POST /password-resets`. */
export class RequestResetDto {
  @ApiProperty({ example: 'owner@example.com' })
  @Transform(trim)
  @IsEmail({}, { message: EMAIL_MESSAGE })
  @MaxLength(320)
  email: string;
}

/** `POST /password-resets/complete`. */
export class CompleteResetDto {
  @ApiProperty({ description: 'The token of the reset link (`pwr_…`).' })
  @IsString()
  @MaxLength(100)
  token: string;

  @ApiProperty({ description: 'At least 12 characters, not a common password.' })
  @IsString()
  password: string;
}

/** `POST /session/totp/confirm`. */
export class ConfirmTotpDto {
  @ApiProperty({ description: 'The 6-digit code the authenticator app shows now.' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}
