import { InternalServiceConfig } from '@smartship/service-kit';

/** The fulfillment service's environment (see .env.example). */
export class FulfillmentConfig extends InternalServiceConfig {
  override HTTP_PORT = 3104;
  override TCP_PORT = 4104;
}
