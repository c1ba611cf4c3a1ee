import { InternalServiceConfig } from '@smartship/service-kit';

/** The credentials service's environment (see .env.example). */
export class CredentialsConfig extends InternalServiceConfig {
  override HTTP_PORT = 3101;
  override TCP_PORT = 4101;
}
