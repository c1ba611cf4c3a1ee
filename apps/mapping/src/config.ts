import { InternalServiceConfig } from '@smartship/service-kit';

/** The mapping service's environment (see .env.example). */
export class MappingConfig extends InternalServiceConfig {
  override HTTP_PORT = 3103;
  override TCP_PORT = 4103;
}
