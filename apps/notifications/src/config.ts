import { InternalServiceConfig } from '@smartship/service-kit';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** The notifications service's environment (see .env.example). */
export class NotificationsConfig extends InternalServiceConfig {
  override HTTP_PORT = 3105;
  override TCP_PORT = 4105;

  /**
   * Master keys that encrypt the webhook secrets at rest, `id:base64(32 bytes)[,…]` (the same
   * format and rotation as the credentials service's).
   */
  @IsString()
  @Matches(
    /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/,
    { message: 'must be id:base64key[,id:base64key…] with 32-byte keys' },
  )
  MASTER_KEYS: string;

  /** SMTP server, e.g. smtp://127.0.0.1:2525 (smtps:// for implicit TLS). */
  @Matches(/^smtps?:\/\/[^\s/@]+(:\d{1,5})?\/?$/, {
    message: 'must be smtp://host:port or smtps://host:port (credentials go in SMTP_USER)',
  })
  SMTP_URL: string = 'smtp://127.0.0.1:2525';

  /** The From of every e-mail. */
  @IsString()
  @Matches(/^.{3,200}$/, { message: 'must be an address, e.g. Smartship <alerts@example.com>' })
  SMTP_FROM: string = 'Smartship <alerts@smartship.local>';

  /** SMTP login, if the server wants one. */
  @IsOptional()
  @IsString()
  SMTP_USER?: string;

  /** SMTP password (never logged). */
  @IsOptional()
  @IsString()
  SMTP_PASSWORD?: string;

  /** Where the web console is: links in e-mails and webhooks start with it. */
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL' })
  CONSOLE_URL: string = 'http://127.0.0.1:3000';

  /** First retry delay of a failed delivery (e-mail or webhook), ms; doubles per attempt. */
  @IsInt()
  @Min(1)
  WEBHOOK_RETRY_BASE_MS: number = 30_000;

  /** Longest delay between two attempts, ms. */
  @IsInt()
  @Min(1)
  WEBHOOK_RETRY_MAX_MS: number = 3_600_000;

  /** A delivery is retried for this long after it was created, ms; then it is failed. */
  @IsInt()
  @Min(1)
  WEBHOOK_RETRY_FOR_MS: number = 86_400_000;

  /** Time limit of one webhook request (connect, TLS, answer), ms. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  /**
   * Host names or IP literals (comma-separated) that webhooks may reach although they are
   * internal, e.g. an in-house relay. Matched against the URL's host as written.
   */
  @IsString()
  WEBHOOK_ALLOWED_HOSTS: string = '';

  /** A PEM file of extra CAs to trust for webhook TLS (added to the public roots). */
  @IsOptional()
  @IsString()
  WEBHOOK_CA_FILE?: string;

  /** Deliveries in flight at once per process (e-mail and webhook together). */
  @IsInt()
  @Min(1)
  @Max(200)
  DELIVERY_CONCURRENCY: number = 16;

  /**
   * How long a claimed delivery is held by the instance that claimed it, ms. It must outlast any
   * attempt (WEBHOOK_TIMEOUT_MS, SMTP's 10 + 30 s): a crashed instance's claims are sent again
   * once it ends.
   */
  @IsInt()
  @Min(1_000)
  DELIVERY_LEASE_MS: number = 120_000;

  /** How often the worker looks for due deliveries (and the digest clock), ms. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  DELIVERY_POLL_MS: number = 500;
}
