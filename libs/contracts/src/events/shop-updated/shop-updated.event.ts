import { IsBase64, IsBoolean, IsIn, IsInt, IsOptional, Length, Max, Min } from 'class-validator';

import { IsIsoDateTime, IsNonEmptyString, IsNullable, NestedObject } from '../../decorators';
import { MARKETPLACES, type Marketplace } from '../../models/marketplace.model';
import { SHOP_STATUSES, type ShopStatus } from '../../constants/shops';

/** What the platform does automatically for the shop. */
export class ShopOptions {
  /** Pull new orders on the schedule. */
  @IsBoolean()
  autoOrderSync: boolean;

  /** Confirm pulled orders on Rakuten (100 → 200) without a person. */
  @IsBoolean()
  autoOrderConfirm: boolean;

  /** Send mapped orders to the warehouse without a person. */
  @IsBoolean()
  autoFulfillmentDispatch: boolean;

  /**
   * Minutes between two scheduled polls of the shop (1–60); null or absent: the platform's
   * interval. Optional, so events published before it existed still decode.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  pollIntervalMinutes?: number | null;
}

/**
 * The shop's API keys, encrypted (AES-256-GCM) by the credentials service. Plaintext secrets never
 * travel in events: consumers that call Rakuten decrypt with the master key they are given.
 */
export class ShopCredentials {
  /** Id of the master key the ciphertexts were encrypted with (lets the master key rotate). */
  @IsNonEmptyString(100)
  keyId: string;

  /** Rakuten serviceSecret, ciphertext only, base64. */
  @IsBase64()
  serviceSecretCiphertext: string;

  /** Rakuten licenseKey, ciphertext only, base64. */
  @IsBase64()
  licenseKeyCiphertext: string;
}

/**
 * `shop.updated` v1: the full current state of a shop connection (not a diff), so the
 * log-compacted topic keeps the latest state per shop. Producer: credentials. Consumers:
 * ingestion, mapping, fulfillment. Key: the shop connection id (envelope shopId).
 */
export class ShopUpdatedData {
  /** Marketplace of the shop. */
  @IsIn(MARKETPLACES)
  marketplace: Marketplace;

  /** Rakuten's own shop id (店舗ID, digits), not the platform's shop connection id. */
  @IsNonEmptyString(40)
  rakutenShopId: string;

  /** The shop's URL name on Rakuten (rakuten.co.jp/<shopUrl>/). */
  @IsNonEmptyString(200)
  shopUrl: string;

  /** Current state of the connection. */
  @IsIn(SHOP_STATUSES)
  status: ShopStatus;

  /** Automation switches. */
  @NestedObject(() => ShopOptions)
  options: ShopOptions;

  /** Last four characters of the licence key, as Rakuten shows it, for display. */
  @Length(4, 4)
  licenseKeyLast4: string;

  /** When the licence key expires (23:59:59 JST on day 90), ISO-8601 with offset; null if unknown. */
  @IsNullable()
  @IsIsoDateTime()
  licenseKeyExpiresAt: string | null;

  /** The encrypted keys; null once the shop is deleted and its keys destroyed. */
  @IsNullable()
  @NestedObject(() => ShopCredentials)
  credentials: ShopCredentials | null;

  /** Revision of the connection (integer ≥ 1), +1 on every change; consumers ignore older ones. */
  @IsInt()
  @Min(1)
  revision: number;

  /** When this revision was made, ISO-8601 with offset. */
  @IsIsoDateTime()
  updatedAt: string;
}
