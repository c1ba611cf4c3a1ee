import 'reflect-metadata';

import { loadConfigOrExit, runService } from '@smartship/service-kit';

import { AppModule } from './app.module';
import { GatewayConfig } from './config';
import { configureHttp } from './http/configure-http';

async function main(): Promise<void> {
  const config = loadConfigOrExit('gateway', GatewayConfig);
  await runService(AppModule.forRoot(config), config, {
    configure: (app) => configureHttp(app, config),
  });
}

void main();
