import 'reflect-metadata';

import { loadConfigOrExit, runService } from '@smartship/service-kit';

import { AppModule } from './app.module';
import { MappingConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit('mapping', MappingConfig);
  await runService(AppModule.forRoot(config), config);
}

void main();
