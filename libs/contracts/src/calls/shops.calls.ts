import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

import { IsIsoDateTime } from '../decorators';
import { RAKUTEN_SHOP_ID, RAKUTEN_SHOP_URL_EXAMPLE, checkRakutenShopUrl } from './rakuten-shop-url';
import {
  MAX_POLL_INTERVAL_MINUTES,
  MIN_POLL_INTERVAL_MINUTES,
  SHOP_STATUSES,
  type ShopStatus,
} from '../constants/shops';

/**
 * Request/response shapes of the calls the gateway makes to the credentials service over the
 * TCP transport. The same classes validate the HTTP bodies in the gateway and the calls in the
 * service, so the two cannot disagree.
 */
export const SHOP_CALLS = {
  register: 'credentials.shops.register',
  list: 'credentials.shops.list',
  get: 'credentials.shops.get',
  updateOptions: 'credentials.shops.update-options',
  renewCredentials: 'credentials.shops.renew-credentials',
  remove: 'credentials.shops.remove',
  connectionTest: 'credentials.shops.connection-test',
  connectionTests: 'credentials.shops.connection-tests',
} as const;

/**
 * An API key as the seller pastes it: spaces and line breaks around it are removed (the RMS
 * screen and e-mails add them); inside, only printable ASCII without spaces is a key.
 */
const API_KEY = /^[\x21-\x7e]+$/;
const API_KEY_MESSAGE =
  '$property must be the key exactly as RMS shows it: letters, digits and symbols, no spaces';

function trimmed({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '') : value;
}

/**
 * The shop URL must be the shop's own page on Rakuten: `https://www.rakuten.ne.jp/<shopId>`
 * (see checkRakutenShopUrl). The message says what is expected, with the guide's example.
 */
function IsRakutenShopUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isRakutenShopUrl',
    validator: {
      validate: (value: unknown, args) => {
        const shopId = (args?.object as { shopId?: unknown } | undefined)?.shopId;
        if (typeof value !== 'string') return false;
        return checkRakutenShopUrl(value, typeof shopId === 'string' ? shopId : '').ok;
      },
      defaultMessage: (args) => {
        const shopId = (args?.object as { shopId?: unknown } | undefined)?.shopId;
        const check =
          typeof args?.value === 'string'
            ? checkRakutenShopUrl(args.value, typeof shopId === 'string' ? shopId : '')
            : null;
        return check && !check.ok
          ? `$property ${check.problem}`
          : `$property must be https://www.rakuten.ne.jp/<shop ID>, e.g. ${RAKUTEN_SHOP_URL_EXAMPLE}`;
      },
    },
  });
}

/**
 * The three switches of the setup guide's "API 연결 설정 옵션", and the shop's poll interval.
 */
export class ShopOptionsInput {
  /** 자동 주문 연동: pull new orders on the schedule (default on). */
  @IsOptional()
  @IsBoolean()
  autoOrderSync?: boolean;

  /** 자동 주문 확인: confirm new orders on Rakuten without a person (default off). */
  @IsOptional()
  @IsBoolean()
  autoOrderConfirm?: boolean;

  /** 자동 풀필먼트 출하지시: send mapped orders to the warehouse at once (default off). */
  @IsOptional()
  @IsBoolean()
  autoFulfillmentDispatch?: boolean;

  /**
   * Minutes between two scheduled polls of this shop, 1–60; `null` (or never set) uses the
   * platform's interval (ingestion's POLL_INTERVAL_MS, 5 minutes by default).
   */
  @IsOptional()
  @IsInt({ message: '$property must be a whole number of minutes (1–60), or null for the default' })
  @Min(MIN_POLL_INTERVAL_MINUTES)
  @Max(MAX_POLL_INTERVAL_MINUTES)
  pollIntervalMinutes?: number | null;
}

/** The keys Rakuten issues (RMS > WEB APIサービス). */
export class RakutenKeysInput {
  /** serviceSecret issued by RMS. Stored encrypted; never shown again. */
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty({ message: '$property is required: copy it from RMS > WEB APIサービス' })
  @MaxLength(256)
  @Matches(API_KEY, { message: API_KEY_MESSAGE })
  serviceSecret: string;

  /** licenseKey issued by RMS (valid 90 days). Stored encrypted; shown as its last 4 characters. */
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty({
    message: '$property is required: RMS shows it in full under ライセンスキーの確認・変更',
  })
  @MaxLength(256)
  @Matches(API_KEY, { message: API_KEY_MESSAGE })
  licenseKey: string;

  /**
   * When RMS issued this licence key (ISO-8601 with offset). Optional: used for the expiry date
   * when the LicenseManagementAPI cannot be called; without it, registration time + 90 days.
   */
  @IsOptional()
  @IsIsoDateTime()
  licenseKeyIssuedAt?: string;
}

/** `POST /shops/rakuten`: the form of the setup guide (스마트십에 Rakuten API KEY 등록하기). */
export class RegisterRakutenShopBody extends RakutenKeysInput {
  /** Rakuten shop ID (판매자 ID), as in the shop URL: lowercase letters, digits, hyphens. */
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty({ message: '$property is required: your Rakuten seller ID, e.g. abcd14231499' })
  @Matches(RAKUTEN_SHOP_ID, {
    message:
      '$property must be your Rakuten shop ID: lowercase letters, digits and hyphens, e.g. abcd14231499',
  })
  shopId: string;

  /** Shop URL: https://www.rakuten.ne.jp/<shopId> (the www.rakuten.co.jp form is accepted). */
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty({
    message:
      '$property is required: https://www.rakuten.ne.jp/<shop ID>, e.g. https://www.rakuten.ne.jp/abcd14231499',
  })
  @MaxLength(300)
  @IsRakutenShopUrl()
  shopUrl: string;

  /** The API connection options; omitted ones take their defaults. */
  @IsOptional()
  // @ValidateNested alone lets an array through (`"options": []` registered the shop).
  @IsObject()
  @ValidateNested()
  @Type(() => ShopOptionsInput)
  options?: ShopOptionsInput;
}

/** `PATCH /shops/:id`: change options or disable/enable the shop. */
export class UpdateShopBody {
  @IsOptional()
  @IsObject() // not an array (see RegisterRakutenShopBody.options)
  @ValidateNested()
  @Type(() => ShopOptionsInput)
  options?: ShopOptionsInput;

  /** false pauses every scheduled call for the shop; true resumes. */
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** `PUT /shops/:id/credentials`: renewed keys (the licence key expires every 90 days). */
export class RenewCredentialsBody extends RakutenKeysInput {}

/** Who makes a call: the tenant and the API token, for scoping and for the audit log. */
export class CallActor {
  @IsUUID()
  tenantId: string;

  /** Id of the API token (never the token). */
  @IsString()
  @IsNotEmpty()
  actorId: string;
}

export class RegisterRakutenShopCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @ValidateNested()
  @Type(() => RegisterRakutenShopBody)
  body: RegisterRakutenShopBody;
}

export class ShopRefCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsUUID()
  shopId: string;

  /**
   * The shop's revision as credentials has it now (`ShopView.revision`), sent by the gateway to
   * the services that keep a copy of the shop from `shop.updated` (ingestion). A service whose
   * copy is older answers SHOP_NOT_SYNCED instead of acting on the stale copy, so a call made
   * right after a change sees that change. Absent: the copy is used as it is.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  shopRevision?: number;
}

export class UpdateShopCall extends ShopRefCall {
  @ValidateNested()
  @Type(() => UpdateShopBody)
  body: UpdateShopBody;
}

export class RenewCredentialsCall extends ShopRefCall {
  @ValidateNested()
  @Type(() => RenewCredentialsBody)
  body: RenewCredentialsBody;
}

export class ListShopsCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsOptional()
  @IsIn(SHOP_STATUSES)
  status?: ShopStatus;
}

/** Result codes of a connection test: what the seller should do next follows from each. */
export const CONNECTION_TEST_CODES = [
  'OK',
  'AUTH_FAILED',
  'LICENSE_KEY_EXPIRED',
  'LICENSE_KEY_NOT_ACTIVE_YET',
  'ORDER_API_NOT_ENABLED',
  'THROTTLED',
  'RAKUTEN_UNAVAILABLE',
  'UNREACHABLE',
] as const;
export type ConnectionTestCode = (typeof CONNECTION_TEST_CODES)[number];

/** One connection test, as stored in the shop's history. */
export interface ConnectionTestView {
  id: string;
  code: ConnectionTestCode;
  /** For the seller: what happened and what to do. */
  message: string;
  /** When the test ran, ISO-8601. */
  testedAt: string;
  /** How long Rakuten took to answer, ms. */
  durationMs: number;
  /** What started it: registration, renewal, the seller's button. */
  trigger: 'register' | 'renew' | 'manual';
}

/** A shop connection as the seller sees it: never a secret, the licence key as 4 characters. */
export interface ShopView {
  id: string;
  /** Grows by one with every change of the shop (the revision of its latest `shop.updated`). */
  revision: number;
  marketplace: 'rakuten';
  rakutenShopId: string;
  shopUrl: string;
  status: ShopStatus;
  enabled: boolean;
  options: {
    autoOrderSync: boolean;
    autoOrderConfirm: boolean;
    autoFulfillmentDispatch: boolean;
    /** Minutes between scheduled polls; null: the platform's interval (5 minutes by default). */
    pollIntervalMinutes: number | null;
  };
  /** Last 4 characters of the licence key, as RMS shows it. */
  licenseKeyLast4: string;
  /** When the licence key expires (ISO-8601), and how we know. */
  licenseKeyExpiresAt: string;
  licenseKeyExpirySource: 'license_api' | 'issue_date' | 'registration';
  /** Days until the key expires (negative once expired). */
  licenseKeyDaysLeft: number;
  /** Last 4 characters of renewed keys Rakuten has not activated yet (null when none). */
  pendingLicenseKeyLast4: string | null;
  lastConnectionTest: ConnectionTestView | null;
  createdAt: string;
  updatedAt: string;
}

/** The answer to register and renew: the shop and the connection test that ran at once. */
export interface ShopWithTestView {
  shop: ShopView;
  connectionTest: ConnectionTestView;
}
