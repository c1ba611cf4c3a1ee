import 'reflect-metadata';

import { loadConfigOrExit, runService } from '@smartship/service-kit';

import { AppModule } from './app.module';
import { NotificationsConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit('notifications', NotificationsConfig);
  await runService(AppModule.forRoot(config), config);
}

void main();
