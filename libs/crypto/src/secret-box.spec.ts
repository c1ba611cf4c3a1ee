import { SecretBox, SecretBoxError, secretsEqual } from './secret-box';

const K1 = SecretBox.generateKey('k1');
const K2 = SecretBox.generateKey('k2');

describe('SecretBox', () => {
  it('round-trips a secret and never leaves the plaintext in the ciphertext', () => {
    const box = SecretBox.fromEnv(K1);
    const sealed = box.seal('my-service-secret', 'shop:1:serviceSecret');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('latin1')).not.toContain(
      'my-service-secret',
    );
    expect(box.open(sealed, 'shop:1:serviceSecret')).toBe('my-service-secret');
  });

  it('uses a fresh IV every time', () => {
    const box = SecretBox.fromEnv(K1);
    expect(box.seal('x', 'p').ciphertext).not.toBe(box.seal('x', 'p').ciphertext);
  });

  it('refuses a ciphertext moved to another purpose (another shop or field)', () => {
    const box = SecretBox.fromEnv(K1);
    const sealed = box.seal('secret', 'shop:1:serviceSecret');
    expect(() => box.open(sealed, 'shop:2:serviceSecret')).toThrow(SecretBoxError);
  });

  it('refuses a tampered ciphertext', () => {
    const box = SecretBox.fromEnv(K1);
    const sealed = box.seal('secret', 'p');
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => box.open({ ...sealed, ciphertext: raw.toString('base64') }, 'p')).toThrow(
      /does not authenticate/,
    );
  });

  it('rotates: the new key encrypts, the old one still decrypts, reseal moves a secret over', () => {
    const old = SecretBox.fromEnv(K1);
    const sealed = old.seal('secret', 'p');
    const rotated = SecretBox.fromEnv(`${K2},${K1}`);
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.open(sealed, 'p')).toBe('secret');
    expect(rotated.needsReencryption(sealed)).toBe(true);
    const resealed = rotated.reseal(sealed, 'p');
    expect(resealed.keyId).toBe('k2');
    expect(SecretBox.fromEnv(K2).open(resealed, 'p')).toBe('secret');
  });

  it('names what is wrong with MASTER_KEYS without echoing key material', () => {
    expect(() => SecretBox.fromEnv('k1:c2hvcnQ=')).toThrow('master key "k1" must be 32 bytes');
    expect(() => SecretBox.fromEnv('nocolon')).toThrow('entry 1 must be <id>:<base64 key>');
    expect(() => SecretBox.fromEnv(`${K1},${K1}`)).toThrow('listed twice');
    try {
      SecretBox.fromEnv('k1:c2VjcmV0LWtleS1tYXRlcmlhbA==');
    } catch (error) {
      expect((error as Error).message).not.toContain('c2VjcmV0');
    }
  });

  it('reports a ciphertext whose key is no longer configured', () => {
    const sealed = SecretBox.fromEnv(K1).seal('s', 'p');
    expect(() => SecretBox.fromEnv(K2).open(sealed, 'p')).toThrow(
      'master key "k1" is not configured',
    );
  });
});

describe('secretsEqual', () => {
  it('compares in constant time and handles different lengths', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
  });
});
