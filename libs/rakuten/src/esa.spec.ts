import { esaAuthorization, licenseKeyId, maskLicenseKey, parseEsaAuthorization } from './esa';

describe('ESA authentication header', () => {
  it('is "ESA " + base64(serviceSecret:licenseKey)', () => {
    const header = esaAuthorization({ serviceSecret: 'SP123456_a', licenseKey: 'SL123456_b' });
    expect(header).toBe(`ESA ${Buffer.from('SP123456_a:SL123456_b').toString('base64')}`);
  });

  it('trims blanks and CR/LF that RMS would refuse, and never wraps the base64', () => {
    const long = 'x'.repeat(200);
    const header = esaAuthorization({ serviceSecret: ` ${long}\r\n`, licenseKey: '\tSL1 ' });
    expect(header).toBe(`ESA ${Buffer.from(`${long}:SL1`).toString('base64')}`);
    expect(header).not.toMatch(/\n/);
  });

  it('parses back (the simulator side) and refuses anything else', () => {
    expect(
      parseEsaAuthorization(esaAuthorization({ serviceSecret: 's', licenseKey: 'k:2' })),
    ).toEqual({ serviceSecret: 's', licenseKey: 'k:2' });
    for (const bad of [
      undefined,
      '',
      'Bearer x',
      'ESA !!!',
      `ESA ${Buffer.from('nocolon').toString('base64')}`,
    ]) {
      expect(parseEsaAuthorization(bad)).toBeNull();
    }
  });

  it('identifies a key without revealing it', () => {
    expect(licenseKeyId('SL123456_secret')).toMatch(/^[0-9a-f]{32}$/);
    expect(licenseKeyId(' SL123456_secret ')).toBe(licenseKeyId('SL123456_secret'));
    expect(maskLicenseKey('SL123456_secret')).toBe('…cret');
  });
});
