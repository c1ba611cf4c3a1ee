import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  type ValidationArguments,
  validateSync,
  ValidationError,
} from 'class-validator';

/**
 * An http(s) URL of a service outside the platform (Rakuten's RMS), which must be https whenever
 * NODE_ENV=production: the shop's keys travel in its Authorization header and buyers' data in
 * its answers. Plain http is for the simulator, in development and tests.
 */
export function IsExternalUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isExternalUrl',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        if (typeof value !== 'string') return false;
        const production = (args?.object as { NODE_ENV?: string }).NODE_ENV === 'production';
        return (production ? /^https:\/\/[^\s]+$/ : /^https?:\/\/[^\s]+$/).test(value);
      },
      defaultMessage: (args?: ValidationArguments) =>
        (args?.object as { NODE_ENV?: string }).NODE_ENV === 'production'
          ? 'must be an https URL with NODE_ENV=production (http only for the simulator, in development and tests)'
          : 'must be an http(s) URL',
    },
  });
}

/** Variables whose values are never printed, even when they are wrong. */
const SECRET_NAME = /SECRET|KEY|PASSWORD|TOKEN/i;

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid environment: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** What every service reads from its environment. Defaults live here and nowhere else. */
export class ServiceConfig {
  /** development | test | production */
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: string = 'development';

  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Interface the HTTP server (health, metrics, API) listens on. */
  @IsString()
  HTTP_HOST: string = '127.0.0.1';

  /** HTTP port: health pages, metrics and (gateway, simulator) the API. */
  @IsInt()
  @Min(1)
  @Max(65535)
  HTTP_PORT: number;
}

/** A service with a database and Kafka: every service but the simulator. */
export class BackendServiceConfig extends ServiceConfig {
  /** postgres://user:password@host:port/database; the service keeps its tables in its own schema. */
  @Matches(/^postgres(ql)?:\/\/[^\s]+\/[A-Za-z0-9_]+(\?.*)?$/, {
    message: 'must be a URL like postgres://user@127.0.0.1:5432/smartship',
  })
  DATABASE_URL: string;

  /** Connections in this process's PostgreSQL pool. */
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE: number = 10;

  /** Comma-separated host:port list of Kafka brokers. */
  @Matches(/^[A-Za-z0-9_.-]+:\d{1,5}(,[A-Za-z0-9_.-]+:\d{1,5})*$/, {
    message: 'must be a comma-separated host:port list like 127.0.0.1:19092',
  })
  KAFKA_BROKERS: string = '127.0.0.1:19092';

  /** Partitions of topics this service creates; the most consumer instances that share work. */
  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_TOPIC_PARTITIONS: number = 6;

  /** Replicas of topics this service creates (1 on a single local broker). */
  @IsInt()
  @Min(1)
  @Max(10)
  KAFKA_REPLICATION_FACTOR: number = 1;

  /** Partitions one process handles at the same time. */
  @IsInt()
  @Min(1)
  @Max(64)
  KAFKA_PARTITIONS_CONCURRENCY: number = 3;

  /** A consumer silent this long (ms) is presumed dead and its partitions move to another instance. */
  @IsInt()
  @Min(1_000)
  @Max(300_000)
  KAFKA_SESSION_TIMEOUT_MS: number = 30_000;

  /**
   * Days an applied event's id stays in the inbox (the dedupe of redelivered events). Longer
   * than the topics' 7-day retention, so nothing Kafka can deliver again is forgotten.
   */
  @IsInt()
  @Min(8)
  @Max(3650)
  INBOX_RETENTION_DAYS: number = 30;

  /** Suffix for consumer group ids, only for tests that need isolated groups. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]*$/)
  KAFKA_GROUP_SUFFIX?: string;

  /**
   * The key that authenticates the gateway's calls to the services (base64 of 32 random bytes
   * or more: `openssl rand -base64 32`), the same in the gateway and every service. Required with
   * NODE_ENV=production; elsewhere, unset means a development key that protects nothing.
   */
  @ValidateIf(
    (config: BackendServiceConfig) =>
      config.NODE_ENV === 'production' || config.INTERNAL_CALL_KEY !== undefined,
  )
  @Matches(/^[A-Za-z0-9+/]{43,}={0,2}$/, {
    message:
      'must be base64 of at least 32 bytes (openssl rand -base64 32); required in production',
  })
  INTERNAL_CALL_KEY?: string;
}

/** A service the gateway calls over the @nestjs/microservices TCP transport. */
export class InternalServiceConfig extends BackendServiceConfig {
  /** Port of the @nestjs/microservices TCP transport the gateway calls. */
  @IsInt()
  @Min(1)
  @Max(65535)
  TCP_PORT: number;

  /** Host the TCP transport binds to. */
  @IsString()
  TCP_HOST: string = '127.0.0.1';

  /** Largest call a service reads from the TCP transport, in characters; a longer one is dropped. */
  @IsInt()
  @Min(65_536)
  @Max(268_435_456)
  TCP_MAX_CALL_CHARS: number = 4 * 1024 * 1024;
}

/**
 * Reads and validates the environment into a typed config object. A missing or malformed
 * variable is reported as NAME=value with what is expected (secret values are not printed).
 */
export function loadConfig<T extends object>(
  service: string,
  type: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const defaults = new type() as Record<string, unknown>;
  const raw: Record<string, unknown> = { ...defaults };
  for (const name of Object.keys(env)) {
    if (env[name] !== undefined && env[name] !== '') raw[name] = env[name];
  }
  const config = plainToInstance(type, raw, { enableImplicitConversion: true });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(
      service,
      errors.map((error) => describe(error, env)),
    );
  }
  return config;
}

function describe(error: ValidationError, env: NodeJS.ProcessEnv): string {
  const name = error.property;
  const given = env[name];
  const shown =
    given === undefined || given === ''
      ? '<missing>'
      : SECRET_NAME.test(name)
        ? `<hidden, ${given.length} characters>`
        : given;
  const reasons = Object.values(error.constraints ?? {}).map((text) =>
    text.replace(`${name} `, ''),
  );
  return `${name}=${shown} (${reasons.join(', ')})`;
}

/** For main.ts: loads the config or prints the problem and exits with status 78 (config error). */
export function loadConfigOrExit<T extends object>(service: string, type: new () => T): T {
  try {
    return loadConfig(service, type);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
