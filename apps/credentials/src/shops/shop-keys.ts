import { Injectable } from '@nestjs/common';
import { SecretBox, shopSecretPurpose } from '@smartship/crypto';

import type { ExpirySource, Shop } from './shop.entity';

/** The last four characters of a licence key, shown to the seller. */
export function last4(licenseKey: string): string {
  return licenseKey.slice(-4);
}

/**
 * A shop's keys: sealed with the master key (AES-256-GCM) to be stored and published, opened only
 * for the time of a Rakuten call, replaced on renewal and re-sealed on master-key rotation.
 */
@Injectable()
export class ShopKeys {
  constructor(private readonly secrets: SecretBox) {}

  /** Decrypts a shop's keys in use (for a Rakuten call; never stored or logged). */
  open(shop: Shop): { serviceSecret: string; licenseKey: string } {
    return this.openPair(
      shop.id,
      shop.keyId,
      shop.serviceSecretCiphertext,
      shop.licenseKeyCiphertext,
    );
  }

  /** Decrypts a shop's pending keys (new keys Rakuten has not accepted yet), if it has any. */
  openPending(shop: Shop): { serviceSecret: string; licenseKey: string } | null {
    const { pendingKeyId, pendingServiceSecretCiphertext, pendingLicenseKeyCiphertext } = shop;
    if (!pendingKeyId || !pendingServiceSecretCiphertext || !pendingLicenseKeyCiphertext) {
      return null;
    }
    return this.openPair(
      shop.id,
      pendingKeyId,
      pendingServiceSecretCiphertext,
      pendingLicenseKeyCiphertext,
    );
  }

  private openPair(
    shopId: string,
    keyId: string,
    serviceSecretCiphertext: string,
    licenseKeyCiphertext: string,
  ): { serviceSecret: string; licenseKey: string } {
    return {
      serviceSecret: this.secrets.open(
        { keyId, ciphertext: serviceSecretCiphertext },
        shopSecretPurpose(shopId, 'serviceSecret'),
      ),
      licenseKey: this.secrets.open(
        { keyId, ciphertext: licenseKeyCiphertext },
        shopSecretPurpose(shopId, 'licenseKey'),
      ),
    };
  }

  /** Replaces the keys in use with new plaintext keys (renewal, or promotion of pending keys). */
  use(
    shop: Shop,
    serviceSecret: string,
    licenseKey: string,
    expiry: { expiresAt: Date; source: ExpirySource },
    now: Date,
  ): void {
    Object.assign(shop, this.seal(shop.id, serviceSecret, licenseKey));
    shop.licenseKeyLast4 = last4(licenseKey);
    shop.keyRevision += 1;
    shop.keysSetAt = now;
    shop.licenseKeyExpiresAt = expiry.expiresAt;
    shop.licenseKeyExpirySource = expiry.source;
    shop.authFailedAt = null;
    this.dropPending(shop);
  }

  /** Forgets a shop's pending keys (promoted, or refused by Rakuten). */
  dropPending(shop: Shop): void {
    shop.pendingKeyId = null;
    shop.pendingServiceSecretCiphertext = null;
    shop.pendingLicenseKeyCiphertext = null;
    shop.pendingLicenseKeyLast4 = null;
    shop.pendingLicenseKeyIssuedAt = null;
    shop.pendingSince = null;
  }

  /** Re-encrypts a shop's keys with the current master key (rotation). */
  reseal(shop: Shop): boolean {
    if (!this.secrets.needsReencryption({ keyId: shop.keyId, ciphertext: '' }) || shop.deletedAt)
      return false;
    const keys = this.open(shop);
    const pending = this.openPending(shop);
    Object.assign(shop, this.seal(shop.id, keys.serviceSecret, keys.licenseKey));
    if (pending) {
      const sealed = this.seal(shop.id, pending.serviceSecret, pending.licenseKey);
      shop.pendingKeyId = sealed.keyId;
      shop.pendingServiceSecretCiphertext = sealed.serviceSecretCiphertext;
      shop.pendingLicenseKeyCiphertext = sealed.licenseKeyCiphertext;
    }
    return true;
  }

  /** Encrypts a pair of keys for this shop with the current master key. */
  seal(
    shopId: string,
    serviceSecret: string,
    licenseKey: string,
  ): Pick<Shop, 'keyId' | 'serviceSecretCiphertext' | 'licenseKeyCiphertext'> {
    const secret = this.secrets.seal(serviceSecret, shopSecretPurpose(shopId, 'serviceSecret'));
    const license = this.secrets.seal(licenseKey, shopSecretPurpose(shopId, 'licenseKey'));
    return {
      keyId: secret.keyId,
      serviceSecretCiphertext: secret.ciphertext,
      licenseKeyCiphertext: license.ciphertext,
    };
  }
}
