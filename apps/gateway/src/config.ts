import { BackendServiceConfig } from '@smartship/service-kit';
import { Matches } from 'class-validator';

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
}
