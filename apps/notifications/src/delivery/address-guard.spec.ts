import {
  AddressGuard,
  InternalAddressError,
  UnresolvableHostError,
  isPublicAddress,
} from './address-guard';

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['2606:4700:4700::1111', true],
    ['::ffff:8.8.8.8', true],
    ['127.0.0.1', false],
    ['127.255.0.9', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['172.31.255.255', false],
    ['192.168.1.10', false],
    ['169.254.169.254', false], // cloud metadata
    ['169.254.1.1', false],
    ['100.64.0.1', false], // CGNAT
    ['100.127.255.254', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.251', false],
    ['192.0.2.1', false], // documentation (reserved)
    ['::', false],
    ['::1', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['fd00:ec2::254', false], // AWS metadata over IPv6
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['64:ff9b::a00:1', false], // NAT64 of 10.0.0.1
    ['2002:a00:1::', false], // 6to4 of 10.0.0.1
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('AddressGuard', () => {
  const resolver = (answers: Record<string, string[]>) => (host: string) =>
    Promise.resolve(
      (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );

  it('answers the first address of a public name', async () => {
    const guard = new AddressGuard(
      '',
      resolver({ 'hooks.example.com': ['93.184.216.34', '2606:2800::1'] }),
    );
    await expect(guard.vet('hooks.example.com')).resolves.toEqual({
      address: '93.184.216.34',
      family: 4,
    });
  });

  it('refuses a name with any internal address among its answers', async () => {
    const guard = new AddressGuard(
      '',
      resolver({ 'rebind.example.com': ['93.184.216.34', '10.0.0.5'] }),
    );
    const error = await guard.vet('rebind.example.com').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalAddressError);
    expect((error as Error).message).toBe(
      'rebind.example.com resolves to 10.0.0.5, an internal address (private); webhooks only go to public addresses',
    );
  });

  it('checks literal addresses without resolving, IPv6 brackets included', async () => {
    const guard = new AddressGuard('', () => Promise.reject(new Error('no DNS')));
    await expect(guard.vet('[::1]')).rejects.toBeInstanceOf(InternalAddressError);
    await expect(guard.vet('169.254.169.254')).rejects.toThrow('internal address (linkLocal)');
    await expect(guard.vet('8.8.8.8')).resolves.toEqual({ address: '8.8.8.8', family: 4 });
  });

  it('lets the operator allow named hosts, matched as written', async () => {
    const guard = new AddressGuard(
      ' Relay.internal ,127.0.0.1',
      resolver({ 'relay.internal': ['10.1.1.1'], localhost: ['127.0.0.1'] }),
    );
    await expect(guard.vet('relay.internal')).resolves.toEqual({ address: '10.1.1.1', family: 4 });
    await expect(guard.vet('127.0.0.1')).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    // localhost resolves to an allowed address but is not itself allowed.
    await expect(guard.vet('localhost')).rejects.toBeInstanceOf(InternalAddressError);
  });

  it('reports a name that does not resolve', async () => {
    const guard = new AddressGuard('', resolver({}));
    await expect(guard.vet('nowhere.example')).rejects.toBeInstanceOf(UnresolvableHostError);
  });
});
