import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Encrypts shop secrets at rest with AES-256-GCM.
 *
 * The master keys come from the environment as `MASTER_KEYS=id1:base64key,id2:base64key` — the
 * first one encrypts, every one listed decrypts. Each ciphertext is stored with the id of the key
 * that made it, so the master key can rotate without downtime: put the new key first, keep the
 * old one listed, let the services re-encrypt (`needsReencryption`), then drop the old one.
 *
 * Ciphertext layout (base64): 12-byte IV | 16-byte GCM tag | encrypted bytes. The key id and the
 * purpose (e.g. `shop:<id>:serviceSecret`) are bound as additional authenticated data, so a
 * ciphertext copied onto another shop or field does not decrypt.
 */
export interface Sealed {
  /** Id of the master key that encrypted it. */
  keyId: string;
  /** base64(iv | tag | ciphertext) */
  ciphertext: string;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  /** Id of the key new secrets are encrypted with. */
  readonly currentKeyId: string;

  constructor(keys: { id: string; key: Buffer }[]) {
    if (keys.length === 0) throw new SecretBoxError('no master key given');
    this.keys = new Map();
    for (const { id, key } of keys) {
      if (!KEY_ID.test(id))
        throw new SecretBoxError(`master key id "${id}": use 1-32 letters, digits, _ or -`);
      if (key.length !== 32)
        throw new SecretBoxError(`master key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
      if (this.keys.has(id)) throw new SecretBoxError(`master key id "${id}" is listed twice`);
      this.keys.set(id, key);
    }
    this.currentKeyId = keys[0].id;
  }

  /** Parses `id1:base64,id2:base64` (the MASTER_KEYS variable). Never echoes key material. */
  static fromEnv(value: string): SecretBox {
    const keys = value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part, index) => {
        const colon = part.indexOf(':');
        if (colon <= 0)
          throw new SecretBoxError(`MASTER_KEYS entry ${index + 1} must be <id>:<base64 key>`);
        return { id: part.slice(0, colon), key: Buffer.from(part.slice(colon + 1), 'base64') };
      });
    return new SecretBox(keys);
  }

  /** A fresh key in MASTER_KEYS form, for set-up scripts and tests. */
  static generateKey(id: string): string {
    return `${id}:${randomBytes(32).toString('base64')}`;
  }

  seal(plaintext: string, purpose: string): Sealed {
    const keyId = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(keyId)!, iv);
    cipher.setAAD(aad(keyId, purpose));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  }

  open(sealed: Sealed, purpose: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key)
      throw new SecretBoxError(`master key "${sealed.keyId}" is not configured (MASTER_KEYS)`);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('ciphertext is too short');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(aad(sealed.keyId, purpose));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'ciphertext does not authenticate (wrong key, purpose or corrupted)',
      );
    }
  }

  /** True when the secret was sealed with an older key and should be sealed again. */
  needsReencryption(sealed: Sealed): boolean {
    return sealed.keyId !== this.currentKeyId;
  }

  /** Opens with the old key and seals with the current one. */
  reseal(sealed: Sealed, purpose: string): Sealed {
    return this.seal(this.open(sealed, purpose), purpose);
  }
}

function aad(keyId: string, purpose: string): Buffer {
  return Buffer.from(`${keyId}\n${purpose}`, 'utf8');
}

/** Constant-time comparison of two secrets (tokens), whatever their lengths. */
export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The additional authenticated data of a shop secret: binds the ciphertext to shop and field. */
export function shopSecretPurpose(shopId: string, field: 'serviceSecret' | 'licenseKey'): string {
  return `shop:${shopId}:${field}`;
}
