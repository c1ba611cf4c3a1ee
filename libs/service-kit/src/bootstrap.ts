import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';

import { InternalServiceConfig, ServiceConfig } from './config';

export interface RunServiceOptions {
  /** Adjusts the app before it listens (global pipes, prefixes, Swagger, …). */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts a service: HTTP server, the TCP transport for backend services, and shutdown hooks so
 * that SIGTERM drains consumers before the database pool closes.
 */
export async function runService(
  module: DynamicModule,
  config: ServiceConfig,
  options: RunServiceOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.enableShutdownHooks();
  const backend = config as Partial<InternalServiceConfig>;
  if (backend.TCP_PORT) {
    app.connectMicroservice<MicroserviceOptions>(
      { transport: Transport.TCP, options: { host: backend.TCP_HOST, port: backend.TCP_PORT } },
      { inheritAppConfig: true },
    );
  }
  if (options.configure) await options.configure(app);
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  app.get(Logger).log(`listening on http://${config.HTTP_HOST}:${config.HTTP_PORT}`);
  return app;
}
