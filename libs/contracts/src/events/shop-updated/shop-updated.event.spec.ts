import { validateData } from '../../codec';
import { exampleShopUpdatedData } from '../../examples';
import { TOPICS } from '../../topics';

describe('shop.updated data', () => {
  it('refuses a plaintext secret where ciphertext (base64) is expected', () => {
    const data = exampleShopUpdatedData();
    data.credentials!.licenseKeyCiphertext = 'SP123456_plain-licence-key!';
    expect(() => validateData(TOPICS.SHOP_UPDATED, data)).toThrow(
      'data.credentials.licenseKeyCiphertext: licenseKeyCiphertext must be base64 encoded',
    );
  });

  it('allows null credentials and expiry (a deleted shop) but not missing ones', () => {
    const deleted = { ...exampleShopUpdatedData({ status: 'deleted' }), credentials: null };
    expect(() => validateData(TOPICS.SHOP_UPDATED, deleted)).not.toThrow();
    const { credentials: _credentials, ...missing } = exampleShopUpdatedData();
    expect(() => validateData(TOPICS.SHOP_UPDATED, missing)).toThrow(/data\.credentials/);
  });

  it('accepts only the known statuses', () => {
    const data = { ...exampleShopUpdatedData(), status: 'paused' };
    expect(() => validateData(TOPICS.SHOP_UPDATED, data)).toThrow(
      /data\.status: status must be one of/,
    );
  });
});
