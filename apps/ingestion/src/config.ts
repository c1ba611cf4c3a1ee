import { InternalServiceConfig } from '@smartship/service-kit';

/** The ingestion service's environment (see .env.example). */
export class IngestionConfig extends InternalServiceConfig {
  override HTTP_PORT = 3102;
  override TCP_PORT = 4102;
}
