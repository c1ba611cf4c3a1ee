import { IsString, Matches } from 'class-validator';

import { InternalServiceConfig, ConfigError, loadConfig } from './config';

class TestConfig extends InternalServiceConfig {
  override HTTP_PORT = 3999;
  override TCP_PORT = 4999;

  @IsString()
  MASTER_KEY: string;
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
