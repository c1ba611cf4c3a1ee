import 'reflect-metadata';

import { loadConfigOrExit, runService } from '@smartship/service-kit';

import { AppModule } from './app.module';
import { FulfillmentConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit('fulfillment', FulfillmentConfig);
  await runService(AppModule.forRoot(config), config);
}

void main();
