import { returnedRows, whyNotCallable, type ShopRecord } from './shop-record';

const shop = (patch: Partial<ShopRecord> = {}): ShopRecord => ({
  id: 's',
  tenantId: 't',
  rakutenShopId: '123456',
  status: 'active',
  autoOrderSync: true,
  autoOrderConfirm: false,
  pollIntervalMinutes: null,
  keyId: 'k',
  serviceSecretCiphertext: 'a',
  licenseKeyCiphertext: 'b',
  keyFingerprint: 'f1',
  authBlockedFingerprint: null,
  revision: 1,
  ...patch,
});

describe('whyNotCallable', () => {
  it('allows active and expiring shops with usable keys', () => {
    expect(whyNotCallable(shop())).toBeNull();
    expect(whyNotCallable(shop({ status: 'expiring_soon' }))).toBeNull();
  });

  it('refuses shops needing new keys, disabled, deleted or with refused keys', () => {
    expect(whyNotCallable(shop({ status: 'needs_reauth' }))).toContain('needs_reauth');
    expect(whyNotCallable(shop({ status: 'disabled' }))).toContain('disabled');
    // A shop of a tenant an operator disabled: no poll, confirmation, report or stock push.
    expect(whyNotCallable(shop({ status: 'suspended' }))).toContain('suspended');
    expect(whyNotCallable(shop({ status: 'deleted' }))).toContain('deleted');
    expect(whyNotCallable(shop({ keyFingerprint: null }))).toContain('decrypted');
    expect(whyNotCallable(shop({ authBlockedFingerprint: 'f1' }))).toContain('refused');
    // Renewed keys (another fingerprint) lift the block.
    expect(whyNotCallable(shop({ authBlockedFingerprint: 'f0' }))).toBeNull();
  });
});

describe('returnedRows', () => {
  it('reads TypeORM UPDATE results and plain rows alike', () => {
    expect(returnedRows([[{ id: 1 }], 1])).toEqual([{ id: 1 }]);
    expect(returnedRows([{ id: 1 }, { id: 2 }])).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
