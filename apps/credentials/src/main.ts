import 'reflect-metadata';

import { loadConfigOrExit, runService } from '@smartship/service-kit';

import { AppModule } from './app.module';
import { CredentialsConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit('credentials', CredentialsConfig);
  await runService(AppModule.forRoot(config), config);
}

void main();
