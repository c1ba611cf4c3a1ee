import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import type { Logger as PinoLogger } from 'pino';

import { InternalServiceConfig, ServiceConfig } from './config';
import { VerifyingDeserializer, internalCallKey } from './internal-calls';
import { ROOT_LOGGER } from './tokens';

/**
 * Process warnings go to the JSON log instead of stderr. kafkajs 2.2.4 schedules a timer with a
 * negative delay in its request queue (Node clamps it to 1 ms; harmless), which Node 24 reports
 * as TimeoutNegativeWarning on every connection: that one is logged at debug level only.
 */
function routeProcessWarnings(logger: PinoLogger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    const level = warning.name === 'TimeoutNegativeWarning' ? 'debug' : 'warn';
    logger[level]({ warning: warning.name }, warning.message);
  });
}

export interface RunServiceOptions {
  /** Adjusts the app before it listens (global pipes, prefixes, Swagger, …). */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * The TCP transport a service answers the gateway on: every call's MAC is checked
 * (internal-calls.ts), a call longer than TCP_MAX_CALL_CHARS is dropped, and a call that does not
 * arrive whole within 30 s is dropped too.
 */
export function tcpServerOptions(config: InternalServiceConfig): MicroserviceOptions {
  return {
    transport: Transport.TCP,
    options: {
      host: config.TCP_HOST,
      port: config.TCP_PORT,
      deserializer: new VerifyingDeserializer(internalCallKey(config)),
      maxBufferSize: config.TCP_MAX_CALL_CHARS,
      incompleteMessageTimeout: 30_000,
    },
  };
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
  routeProcessWarnings(app.get<PinoLogger>(ROOT_LOGGER));
  app.enableShutdownHooks();
  const backend = config as Partial<InternalServiceConfig>;
  if (backend.TCP_PORT) {
    app.connectMicroservice<MicroserviceOptions>(
      tcpServerOptions(backend as InternalServiceConfig),
      {
        inheritAppConfig: true,
      },
    );
  }
  if (options.configure) await options.configure(app);
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  // Idle keep-alive connections stay open longer than clients and proxies keep them (Node's 5 s
  // default races with clients reusing a connection the server is closing: "other side closed").
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  app.get(Logger).log(`listening on http://${config.HTTP_HOST}:${config.HTTP_PORT}`);
  return app;
}
