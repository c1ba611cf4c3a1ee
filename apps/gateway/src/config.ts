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
}
