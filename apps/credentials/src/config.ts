import { InternalServiceConfig, IsExternalUrl } from '@smartship/service-kit';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

/** The credentials service's environment (see .env.example). */
export class CredentialsConfig extends InternalServiceConfig {
  override HTTP_PORT = 3101;
  override TCP_PORT = 4101;

  /**
   * Master keys for the shop secrets, `id:base64(32 bytes)[,id:base64…]`; the first encrypts,
   * all decrypt (rotation). Generate one with `node tools/scripts/generate-master-key.mts`.
   */
  @IsString()
  @Matches(
    /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/,
    {
      message: 'must be id:base64key[,id:base64key…] with 32-byte keys',
    },
  )
  MASTER_KEYS: string;

  /** RMS Web API base URL (the simulator's in development and tests; https in production). */
  @IsExternalUrl()
  RAKUTEN_BASE_URL: string = 'https://api.rms.rakuten.co.jp';

  /** Time limit of one RMS request during a connection test, ms. */
  @IsInt()
  @Min(1_000)
  @Max(120_000)
  RAKUTEN_TIMEOUT_MS: number = 15_000;

  /** Rakuten says a new licence key starts working within 10–30 minutes. */
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  LICENSE_KEY_ACTIVATION_MINUTES: number = 30;

  /** How often licence-key expiry (and pending renewed keys) are checked, ms. */
  @IsInt()
  @Min(1_000)
  LICENSE_CHECK_INTERVAL_MS: number = 15 * 60_000;
}
