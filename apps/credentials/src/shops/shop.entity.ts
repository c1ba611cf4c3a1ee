import type { ShopStatus } from '@smartship/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ExpirySource = 'license_api' | 'issue_date' | 'registration';

/** A marketplace shop connection of a tenant, with its keys encrypted (libs/crypto). */
@Entity({ name: 'shops' })
export class Shop {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'text' })
  marketplace: 'rakuten';

  /** Rakuten shop ID, lowercase, as in the shop URL. */
  @Column({ name: 'rakuten_shop_id', type: 'text' })
  rakutenShopId: string;

  /** https://www.rakuten.ne.jp/<shopId> */
  @Column({ name: 'shop_url', type: 'text' })
  shopUrl: string;

  @Column({ type: 'text' })
  status: ShopStatus;

  /** false when the seller disabled the connection. */
  @Column({ type: 'boolean' })
  enabled: boolean;

  /**
   * When an operator disabled the tenant (null: not suspended). A suspended shop makes no
   * Rakuten call; it is apart from `enabled`, so lifting it restores the seller's own choice.
   */
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true })
  suspendedAt: Date | null;

  @Column({ name: 'auto_order_sync', type: 'boolean' })
  autoOrderSync: boolean;

  @Column({ name: 'auto_order_confirm', type: 'boolean' })
  autoOrderConfirm: boolean;

  @Column({ name: 'auto_fulfillment_dispatch', type: 'boolean' })
  autoFulfillmentDispatch: boolean;

  /** Minutes between scheduled polls (1–60); null: the platform's interval. */
  @Column({ name: 'poll_interval_minutes', type: 'integer', nullable: true })
  pollIntervalMinutes: number | null;

  /** Master key id of both ciphertexts. */
  @Column({ name: 'key_id', type: 'text' })
  keyId: string;

  @Column({ name: 'service_secret_ct', type: 'text' })
  serviceSecretCiphertext: string;

  @Column({ name: 'license_key_ct', type: 'text' })
  licenseKeyCiphertext: string;

  @Column({ name: 'license_key_last4', type: 'text' })
  licenseKeyLast4: string;

  /** Increases with every key renewal; expiry warnings are given once per key. */
  @Column({ name: 'key_revision', type: 'integer' })
  keyRevision: number;

  /** When the keys in use were stored. */
  @Column({ name: 'keys_set_at', type: 'timestamptz' })
  keysSetAt: Date;

  @Column({ name: 'license_key_expires_at', type: 'timestamptz' })
  licenseKeyExpiresAt: Date;

  @Column({ name: 'license_key_expiry_source', type: 'text' })
  licenseKeyExpirySource: ExpirySource;

  /**
   * Renewed keys that Rakuten has not activated yet (it takes 10–30 minutes). The keys in use
   * stay in use meanwhile; a later check promotes the pending ones once they work.
   */
  @Column({ name: 'pending_key_id', type: 'text', nullable: true })
  pendingKeyId: string | null;

  @Column({ name: 'pending_service_secret_ct', type: 'text', nullable: true })
  pendingServiceSecretCiphertext: string | null;

  @Column({ name: 'pending_license_key_ct', type: 'text', nullable: true })
  pendingLicenseKeyCiphertext: string | null;

  @Column({ name: 'pending_license_key_last4', type: 'text', nullable: true })
  pendingLicenseKeyLast4: string | null;

  @Column({ name: 'pending_license_key_issued_at', type: 'timestamptz', nullable: true })
  pendingLicenseKeyIssuedAt: Date | null;

  @Column({ name: 'pending_since', type: 'timestamptz', nullable: true })
  pendingSince: Date | null;

  /**
   * When Rakuten last refused the keys in use (a connection test or any call of ingestion):
   * the shop needs new keys and its scheduled pulls pause. Cleared by a working test or renewal.
   */
  @Column({ name: 'auth_failed_at', type: 'timestamptz', nullable: true })
  authFailedAt: Date | null;

  /** Increases with every change; carried by shop.updated so consumers keep the newest. */
  @Column({ type: 'integer' })
  revision: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
