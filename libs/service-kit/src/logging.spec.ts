import { Writable } from 'node:stream';

import { HTTP_SERIALIZERS, createRootLogger, isSecretName } from './logging';

/** A logged line, read back. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON, read in asserts
type Logged = Record<string, any>;

/** A root logger writing JSON lines into an array. */
function capture(): { lines: string[]; logger: ReturnType<typeof createRootLogger> } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, logger: createRootLogger('test', 'debug', stream) };
}

/** A TypeORM QueryFailedError as it reaches a catch block (same own properties). */
class QueryFailedError extends Error {
  constructor(
    readonly query: string,
    readonly parameters: unknown[],
    readonly driverError: Error,
  ) {
    super(driverError.message);
  }
}

describe('log redaction', () => {
  it('redacts secret-named properties at any depth and in any case', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        shop: { keys: { current: { serviceSecret: 'SP-deep-1', LicenseKey: 'SL-deep-2' } } },
        request: {
          headers: {
            Authorization: 'ESA c2VjcmV0',
            'X-Api-Key': 'api-key-3',
            Cookie: 'smartship_session=sess-4',
            'Set-Cookie': ['smartship_session=sess-5'],
          },
        },
        body: [{ new_password: 'pw-6', webhookSecret: 'whsec-7', inviteToken: 'inv-8' }],
        masterKeys: 'k1:key-9',
        keyFingerprint: 'fp-visible',
        tokenId: 'id-visible',
      },
      'calling Rakuten',
    );
    const line = lines.join('');
    for (let i = 1; i <= 9; i++) expect(line).not.toMatch(new RegExp(`-${i}\\b`));
    expect(line).not.toContain('c2VjcmV0');
    const logged = JSON.parse(line) as Logged;
    expect(logged.shop.keys.current).toEqual({
      serviceSecret: '[redacted]',
      LicenseKey: '[redacted]',
    });
    expect(logged.request.headers['X-Api-Key']).toBe('[redacted]');
    expect(logged.keyFingerprint).toBe('fp-visible');
    expect(logged.tokenId).toBe('id-visible');
    expect(logged.msg).toBe('calling Rakuten');
  });

  it('logs a failed query without its parameters, keeping what explains it', () => {
    const { lines, logger } = capture();
    const error = new QueryFailedError(
      'INSERT INTO credentials.shops (id, service_secret_ct) VALUES ($1, $2)',
      ['3f1c…', 'v1:ciphertext-that-must-not-leak'],
      Object.assign(new Error('duplicate key value violates unique constraint'), {
        code: '23505',
      }),
    );
    logger.error({ err: error, attempt: 2 }, 'register failed');
    const line = lines.join('');
    expect(line).not.toContain('ciphertext-that-must-not-leak');
    const logged = JSON.parse(line) as { err: Logged; attempt: number };
    expect(logged.err).toMatchObject({
      type: 'QueryFailedError',
      message: 'duplicate key value violates unique constraint',
      query: expect.stringContaining('INSERT INTO credentials.shops'),
      driverError: { code: '23505' },
    });
    expect(logged.err).not.toHaveProperty('parameters');
    expect(logged.err.stack).toContain('duplicate key value');
    expect(logged.attempt).toBe(2);
  });

  it('survives cycles and deep objects', () => {
    const { lines, logger } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    let deep: Record<string, unknown> = { password: 'deep-pw' };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    logger.info({ loop, deep });
    const logged = JSON.parse(lines.join('')) as Logged;
    expect(logged.loop).toEqual({ name: 'loop', self: '[circular]' });
    expect(lines.join('')).not.toContain('deep-pw');
  });

  it('names: what counts as a secret', () => {
    for (const name of ['authorization', 'Proxy-Authorization', 'x_api_key', 'otp', 'secret']) {
      expect([name, isSecretName(name)]).toEqual([name, true]);
    }
    for (const name of ['shopId', 'tokenId', 'keyFingerprint', 'secretRef', 'tokens']) {
      expect([name, isSecretName(name)]).toEqual([name, false]);
    }
  });

  it('HTTP requests and responses are logged without headers or query strings', () => {
    expect(
      HTTP_SERIALIZERS.req({
        id: 'r1',
        method: 'POST',
        url: '/api/v1/sessions?next=%2Fshops',
        remoteAddress: '127.0.0.1',
        headers: { cookie: 'smartship_session=s' },
      } as never),
    ).toEqual({ id: 'r1', method: 'POST', url: '/api/v1/sessions', remoteAddress: '127.0.0.1' });
    expect(
      HTTP_SERIALIZERS.res({
        statusCode: 201,
        headers: { 'set-cookie': 'smartship_session=s' },
      } as never),
    ).toEqual({ statusCode: 201 });
  });
});
