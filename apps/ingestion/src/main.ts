import 'reflect-metadata';

import { loadConfigOrExit, runService } from '@smartship/service-kit';

import { AppModule } from './app.module';
import { IngestionConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit('ingestion', IngestionConfig);
  await runService(AppModule.forRoot(config), config);
}

void main();
