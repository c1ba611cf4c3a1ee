import 'reflect-metadata';

import { loadConfigOrExit, runService } from '@smartship/service-kit';

import { AppModule } from './app.module';
import { SimulatorConfig } from './config';
import { configureSimulator } from './simulator-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit('rakuten-sim', SimulatorConfig);
  await runService(AppModule.forRoot(config), config, { configure: configureSimulator });
}

void main();
