import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONNECTION_TEST_CODES,
  type ConnectionTestCode,
  SHOP_STATUSES,
  type ServiceErrorBody,
  type ShopStatus,
  type ConnectionTestView,
  type ShopView,
  type ShopWithTestView,
} from '@smartship/contracts';

import type { IssuedTokenView, TenantView, TokenView } from '../access/access.service';
import { TOKEN_SCOPES, type ActorType, type TokenScope } from '../access/principal';
import type { AuditEntryView } from '../audit/audit.service';

/*
 * OpenAPI schemas of the responses. The answers are interfaces (contracts) or plain objects;
 * these classes only describe them, and `implements` makes the compiler check that each one
 * lists the same fields with the same types.
 */

export class ErrorBodyDoc implements ServiceErrorBody {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({
    description: 'Stable machine-readable code',
    example: 'VALIDATION_FAILED',
  })
  code: string;

  @ApiProperty({
    description: 'What is wrong and what to do, naming every bad field',
    example:
      'Invalid request: shopUrl is on host example.com, not www.rakuten.ne.jp: it must be https://www.rakuten.ne.jp/<shop ID>, e.g. https://www.rakuten.ne.jp/abcd14231499',
  })
  message: string;

  @ApiPropertyOptional({
    description:
      'For VALIDATION_FAILED: [{ field, problems }] with dotted field paths; else context or null',
    example: [
      {
        field: 'options.autoOrderSync',
        problems: ['options.autoOrderSync must be a boolean value'],
      },
    ],
    nullable: true,
  })
  details?: unknown;
}

export class ConnectionTestDoc implements ConnectionTestView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: CONNECTION_TEST_CODES, description: 'What happened, for programs' })
  code: ConnectionTestCode;

  @ApiProperty({ description: 'What happened and what to do, for the seller' })
  message: string;

  @ApiProperty({ format: 'date-time' })
  testedAt: string;

  @ApiProperty({ description: 'How long Rakuten took to answer, ms' })
  durationMs: number;

  @ApiProperty({ enum: ['register', 'renew', 'manual'] })
  trigger: 'register' | 'renew' | 'manual';
}

class ShopOptionsDoc {
  @ApiProperty() autoOrderSync: boolean;
  @ApiProperty() autoOrderConfirm: boolean;
  @ApiProperty() autoFulfillmentDispatch: boolean;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "Minutes between scheduled polls (1–60); null: the platform's interval",
  })
  pollIntervalMinutes: number | null;
}

export class ShopDoc implements ShopView {
  @ApiProperty({ format: 'uuid', description: 'Shop connection id' })
  id: string;

  @ApiProperty({
    example: 3,
    description: 'Grows by one with every change of the shop (its latest shop.updated)',
  })
  revision: number;

  @ApiProperty({ enum: ['rakuten'] })
  marketplace: 'rakuten';

  @ApiProperty({ example: 'abcd14231499' })
  rakutenShopId: string;

  @ApiProperty({ example: 'https://www.rakuten.ne.jp/abcd14231499' })
  shopUrl: string;

  @ApiProperty({ enum: SHOP_STATUSES })
  status: ShopStatus;

  @ApiProperty()
  enabled: boolean;

  @ApiProperty({ type: ShopOptionsDoc })
  options: ShopOptionsDoc;

  @ApiProperty({ description: 'Last 4 characters of the licence key', example: '2345' })
  licenseKeyLast4: string;

  @ApiProperty({ format: 'date-time' })
  licenseKeyExpiresAt: string;

  @ApiProperty({
    enum: ['license_api', 'issue_date', 'registration'],
    description: 'How the expiry is known',
  })
  licenseKeyExpirySource: 'license_api' | 'issue_date' | 'registration';

  @ApiProperty({ description: 'Days until the key expires; negative once expired' })
  licenseKeyDaysLeft: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Last 4 characters of renewed keys Rakuten has not activated yet (10–30 minutes); null when none',
  })
  pendingLicenseKeyLast4: string | null;

  @ApiProperty({ type: ConnectionTestDoc, nullable: true })
  lastConnectionTest: ConnectionTestDoc | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ShopWithTestDoc implements ShopWithTestView {
  @ApiProperty({ type: ShopDoc })
  shop: ShopDoc;

  @ApiProperty({ type: ConnectionTestDoc, description: 'The test that ran with the new keys' })
  connectionTest: ConnectionTestDoc;
}

export class ShopListDoc {
  @ApiProperty({ type: [ShopDoc] })
  items: ShopDoc[];
}

export class ConnectionTestListDoc {
  @ApiProperty({ type: [ConnectionTestDoc] })
  items: ConnectionTestDoc[];
}

export class TenantDoc implements TenantView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

const ACTOR_TYPES: ActorType[] = ['token', 'user', 'operator'];

const SCOPE_DESCRIPTION =
  'What the token may do: read (acts as a viewer), write (as staff), admin (as an admin).';

export class IssuedTokenDoc implements IssuedTokenView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: TOKEN_SCOPES, description: SCOPE_DESCRIPTION }) scope: TokenScope;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Refused (401) from this instant on; null: never expires',
  })
  expiresAt: string | null;

  @ApiProperty({
    description: 'The bearer token. Shown only in this response: the gateway keeps its hash.',
    example: 'sst_3q2-7wVJ0ZbYx0m1sZ5mJ8dJc7o0a9kVb6Q2pQeHc1A',
  })
  token: string;
}

export class CreatedTenantDoc {
  @ApiProperty({ type: TenantDoc }) tenant: TenantDoc;
  @ApiProperty({ type: IssuedTokenDoc, description: "The tenant's first token" })
  token: IssuedTokenDoc;
}

class TokenCreatorDoc {
  @ApiProperty({ enum: ACTOR_TYPES }) type: ActorType;
  @ApiProperty({ description: 'Token id, user id, or "operator"' }) id: string;
}

class TokenDoc implements TokenView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: TOKEN_SCOPES, description: SCOPE_DESCRIPTION }) scope: TokenScope;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt: string | null;

  @ApiProperty({
    type: TokenCreatorDoc,
    nullable: true,
    description: 'Who minted it; null for tokens minted before creators were recorded',
  })
  createdBy: TokenCreatorDoc | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

export class TokenListDoc {
  @ApiProperty({ type: [TokenDoc] }) items: TokenDoc[];
}

class AuditEntryDoc implements AuditEntryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'API token id, user id, or "operator"' }) actorId: string;
  @ApiProperty({ enum: ACTOR_TYPES, description: 'What actorId names' }) actorType: ActorType;
  @ApiProperty({ example: 'shop.registered' }) action: string;
  @ApiProperty({ enum: ['tenant', 'token', 'shop'] }) resourceType: string;
  @ApiProperty() resourceId: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What changed; never a secret',
  })
  details: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AuditLogDoc {
  @ApiProperty({ type: [AuditEntryDoc] }) items: AuditEntryDoc[];
}
