import { ServiceConfig } from '@smartship/service-kit';

/** The Rakuten RMS simulator's environment (see .env.example). */
export class SimulatorConfig extends ServiceConfig {
  override HTTP_PORT = 3200;
}
