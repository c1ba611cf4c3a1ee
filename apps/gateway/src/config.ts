import { BackendServiceConfig } from '@smartship/service-kit';
import { IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';

const HOST_PORT = /^[A-Za-z0-9_.-]+:\d{1,5}$/;
const HOST_PORT_MESSAGE = 'must be host:port, e.g. 127.0.0.1:4101';

/** The gateway's environment (see .env.example). */
export class GatewayConfig extends BackendServiceConfig {
  override HTTP_PORT = 3000;

  /** TCP transport address of the credentials service. */
  @Matches(HOST_PORT, { message: HOST_PORT_MESSAGE })
  CREDENTIALS_TCP: string = '127.0.0.1:4101';

  /** TCP transport address of the ingestion service. */
  @Matches(HOST_PORT, { message: HOST_PORT_MESSAGE })
  INGESTION_TCP: string = '127.0.0.1:4102';

  /** TCP transport address of the mapping service. */
  @Matches(HOST_PORT, { message: HOST_PORT_MESSAGE })
  MAPPING_TCP: string = '127.0.0.1:4103';

  /** TCP transport address of the fulfillment service. */
  @Matches(HOST_PORT, { message: HOST_PORT_MESSAGE })
  FULFILLMENT_TCP: string = '127.0.0.1:4104';

  /** TCP transport address of the notifications service. */
  @Matches(HOST_PORT, { message: HOST_PORT_MESSAGE })
  NOTIFICATIONS_TCP: string = '127.0.0.1:4105';

  /**
   * The operator's bearer token: it alone may create tenants. Required, with no default, because
   * a default would be a published password; at least 32 characters (e.g. `openssl rand -base64 32`).
   */
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (e.g. openssl rand -base64 32)' })
  OPERATOR_TOKEN: string;

  /** Largest JSON request body accepted, in bytes; a larger one is answered with 413. */
  @IsInt()
  @Min(1_024)
  @Max(10_485_760)
  JSON_BODY_LIMIT_BYTES: number = 102_400;

  /** How long the gateway waits for a service's answer to a plain call (ms) before a 503. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  SERVICE_CALL_TIMEOUT_MS: number = 5_000;

  /**
   * How long a call about a shop waits (ms) for ingestion to learn of a shop registered or
   * changed a moment ago (it learns from shop.updated) before a 503 SHOP_NOT_SYNCED.
   */
  @IsInt()
  @Min(0)
  @Max(60_000)
  SHOP_SYNC_WAIT_MS: number = 10_000;

  /**
   * How long `POST /skus/import` waits for its background job before it answers 202 with the
   * job to follow at GET /imports/:id, ms (a 60,000-row file takes a few seconds).
   */
  @IsInt()
  @Min(0)
  @Max(300_000)
  IMPORT_WAIT_MS: number = 30_000;

  /**
   * How long it waits for calls that reach Rakuten (register, renew, connection test), in ms:
   * they include Rakuten's own latency and the credentials service's retries.
   */
  @IsInt()
  @Min(100)
  @Max(300_000)
  RAKUTEN_CALL_TIMEOUT_MS: number = 30_000;

  /** How long it waits for a manual pull (ms): a backlog is read at Rakuten's 1 request/s. */
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  PULL_CALL_TIMEOUT_MS: number = 180_000;

  /**
   * The built web console (apps/console) served at `/`. Empty: dist/apps/console, found from
   * the compiled gateway or the working directory.
   */
  @IsString()
  CONSOLE_DIR: string = '';

  // ---- people: sign-in, sessions and throttling (README "People and sign-in") ----

  /**
   * Seals TOTP secrets (same `id:base64key` format and rotation as the services'). Empty: a
   * key derived from OPERATOR_TOKEN seals them.
   */
  @Matches(
    /^$|^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{40,}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{40,})*$/,
    {
      message: 'must be id:base64key[,id:base64key…] with 32-byte keys',
    },
  )
  MASTER_KEYS: string = '';

  /** A session ends after this long without a request (minutes). */
  @IsInt()
  @Min(1)
  @Max(10_080)
  SESSION_IDLE_MINUTES: number = 120;

  /** A session ends this long after sign-in, however active (hours). */
  @IsInt()
  @Min(1)
  @Max(720)
  SESSION_MAX_HOURS: number = 24;

  /** Failed sign-ins per account before the first wait. */
  @IsInt()
  @Min(1)
  @Max(1_000)
  AUTH_FREE_FAILURES: number = 5;

  /** Failed sign-ins (and failed token checks) per client address before the first wait. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  AUTH_ADDRESS_FREE_FAILURES: number = 20;

  /** The first wait (ms); it doubles with every further failure. */
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  AUTH_BACKOFF_BASE_MS: number = 1_000;

  /** The longest wait between two attempts (ms). */
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  AUTH_BACKOFF_MAX_MS: number = 900_000;

  /** Failed sign-ins that lock the account (until a password reset or AUTH_LOCK_MINUTES). */
  @IsInt()
  @Min(2)
  @Max(10_000)
  AUTH_LOCK_AFTER: number = 20;

  /** How long a locked account stays locked without a password reset (minutes). */
  @IsInt()
  @Min(1)
  @Max(43_200)
  AUTH_LOCK_MINUTES: number = 60;

  // ---- per-tenant request limits (README "Limits"); shared by every instance in PostgreSQL ----

  /** Requests per second a tenant may make to the API, sustained (0: no limit). */
  @IsInt()
  @Min(0)
  @Max(100_000)
  RATE_LIMIT_API_PER_SECOND: number = 20;

  /** Requests a tenant may make at once above that rate (the burst). */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_API_BURST: number = 60;

  /**
   * Calls that make the platform call Rakuten (register a shop, renew keys, connection test,
   * manual pull) per tenant and minute, sustained (0: no limit).
   */
  @IsInt()
  @Min(0)
  @Max(100_000)
  RATE_LIMIT_RAKUTEN_PER_MINUTE: number = 6;

  /** How many of those calls a tenant may make at once. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  RATE_LIMIT_RAKUTEN_BURST: number = 10;

  /** Shop registrations (POST /shops/rakuten) per tenant and day (0: no limit). */
  @IsInt()
  @Min(0)
  @Max(100_000)
  RATE_LIMIT_SHOP_REGISTRATIONS_PER_DAY: number = 20;
}
