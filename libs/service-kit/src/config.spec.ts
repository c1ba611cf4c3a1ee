import { randomBytes } from 'node:crypto';

import { IsString, Matches } from 'class-validator';

import { InternalServiceConfig, ConfigError, IsExternalUrl, loadConfig } from './config';

class TestConfig extends InternalServiceConfig {
  override HTTP_PORT = 3999;
  override TCP_PORT = 4999;

  @IsString()
  MASTER_KEY: string;

  @IsExternalUrl()
  RAKUTEN_BASE_URL = 'https://api.rms.rakuten.co.jp';
}

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/smartship',
  MASTER_KEY: 'k',
};

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig('test', TestConfig, { ...valid, KAFKA_TOPIC_PARTITIONS: '12' });
    expect(config.HTTP_PORT).toBe(3999);
    expect(config.KAFKA_TOPIC_PARTITIONS).toBe(12);
    expect(config.KAFKA_BROKERS).toBe('127.0.0.1:19092');
  });

  it('names every bad variable with its value', () => {
    let caught: unknown;
    try {
      loadConfig('test', TestConfig, { ...valid, HTTP_PORT: 'abc', DATABASE_URL: 'mysql://x/y' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('HTTP_PORT=abc');
    expect(message).toContain('DATABASE_URL=mysql://x/y');
  });

  it('reports a missing variable', () => {
    expect(() => loadConfig('test', TestConfig, { MASTER_KEY: 'k' })).toThrow(
      /DATABASE_URL=<missing>/,
    );
  });

  it('never prints the value of a secret variable', () => {
    class Strict extends InternalServiceConfig {
      override HTTP_PORT = 3999;
      override TCP_PORT = 4999;

      @Matches(/^[0-9a-f]{64}$/)
      MASTER_KEY: string;
    }
    let message = '';
    try {
      loadConfig('test', Strict, { ...valid, MASTER_KEY: 'super-secret-value' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('MASTER_KEY=<hidden, 18 characters>');
    expect(message).not.toContain('super-secret-value');
  });
});

describe('IsExternalUrl (RAKUTEN_BASE_URL)', () => {
  const load = (NODE_ENV: string, RAKUTEN_BASE_URL: string) =>
    loadConfig('test', TestConfig, {
      ...valid,
      NODE_ENV,
      RAKUTEN_BASE_URL,
      INTERNAL_CALL_KEY: randomBytes(32).toString('base64'),
    });

  it('takes the simulator over http in development and tests', () => {
    for (const env of ['development', 'test']) {
      expect(load(env, 'http://127.0.0.1:3100').RAKUTEN_BASE_URL).toBe('http://127.0.0.1:3100');
    }
  });

  it('refuses plain http in production, naming the variable', () => {
    expect(() => load('production', 'http://api.rms.rakuten.co.jp')).toThrow(
      /RAKUTEN_BASE_URL=http:\/\/api\.rms\.rakuten\.co\.jp \(must be an https URL with NODE_ENV=production/,
    );
    expect(load('production', 'https://api.rms.rakuten.co.jp').RAKUTEN_BASE_URL).toBe(
      'https://api.rms.rakuten.co.jp',
    );
  });

  it('refuses what is not a URL at all', () => {
    expect(() => load('development', 'ftp://x')).toThrow(/must be an http\(s\) URL/);
  });
});

describe('INTERNAL_CALL_KEY', () => {
  it('is required in production, and never printed when wrong', () => {
    expect(() => loadConfig('test', TestConfig, { ...valid, NODE_ENV: 'production' })).toThrow(
      /INTERNAL_CALL_KEY=<missing> \(must be base64 of at least 32 bytes/,
    );
    const short = 'c2hvcnQta2V5';
    expect(() =>
      loadConfig('test', TestConfig, {
        ...valid,
        NODE_ENV: 'production',
        INTERNAL_CALL_KEY: short,
      }),
    ).toThrow(/INTERNAL_CALL_KEY=<hidden, 12 characters>/);
  });

  it('may be left out in development and tests (a development key is used)', () => {
    expect(loadConfig('test', TestConfig, valid).INTERNAL_CALL_KEY).toBeUndefined();
  });
});
