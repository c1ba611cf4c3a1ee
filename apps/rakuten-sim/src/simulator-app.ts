import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@smartship/service-kit';

import { AppModule } from './app.module';
import { SimulatorConfig } from './config';
import { rmsRequestHandler } from './http/rms-http-handler';
import { RmsSimulator } from './sim/rms-simulator';

/**
 * Mounts the RMS paths in front of Nest and raises the admin body limit (catalogs can be large).
 * Must run before the app initialises, so that the RMS handler comes before Nest's middleware.
 */
export function configureSimulator(app: INestApplication): void {
  // Order matters: the RMS handler reads the raw body itself, so it must come before any parser.
  app.use(rmsRequestHandler(app.get(RmsSimulator)));
  (app as NestExpressApplication).useBodyParser('json', { limit: '20mb' });
}

/** A running simulator (tests, benchmarks). */
export interface RunningSimulator {
  app: INestApplication;
  simulator: RmsSimulator;
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  close(): Promise<void>;
}

/** Starts the simulator in this process on a free port (or `port`), without request logs. */
export async function startSimulator(options: { port?: number } = {}): Promise<RunningSimulator> {
  const config = loadConfig('rakuten-sim', SimulatorConfig, {
    HTTP_PORT: String(options.port ?? 3200),
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
  configureSimulator(app);
  const server = app.getHttpServer() as Server;
  // As in every service (service-kit's bootstrap): idle connections outlive the client's pool, so
  // the server never closes a socket the client is about to reuse (an ECONNRESET on a busy machine).
  server.keepAliveTimeout = 65_000;
  await app.listen(options.port ?? 0, '127.0.0.1');
  const address = server.address() as AddressInfo;
  return {
    app,
    simulator: app.get(RmsSimulator),
    url: `http://127.0.0.1:${address.port}`,
    close: () => app.close(),
  };
}
