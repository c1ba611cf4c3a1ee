import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { openServiceDataSource } from '@smartship/persistence';
import { LoggerModule } from 'nestjs-pino';
import { collectDefaultMetrics, register } from 'prom-client';
import type { EntitySchema, MixedList } from 'typeorm';

import { BackendServiceConfig, ServiceConfig } from './config';
import { HealthController } from './health.controller';
import { HTTP_SERIALIZERS, createRootLogger, requestId } from './logging';
import { MessagingRuntime, SERVICE_SCHEMA, ServiceTopics, TOPIC_PLAN } from './messaging-runtime';
import { MetricsController } from './metrics.controller';
import { UnauthenticatedCallController } from './internal-calls';
import { PingController } from './ping.controller';
import { ROOT_LOGGER, SERVICE_CONFIG, SERVICE_NAME } from './tokens';

export interface BackendOptions {
  /** The service's own PostgreSQL schema. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
  topics: ServiceTopics;
}

export interface ServiceKitOptions {
  service: string;
  config: ServiceConfig;
  /** Database and Kafka; absent for the simulator, which keeps no state. */
  backend?: BackendOptions;
}

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

/**
 * What every service has: validated config, JSON logs with a request id, /health/live,
 * /health/ready, /metrics, the TCP ping — and for backend services the database (migrated at
 * boot, never synchronised) and the messaging runtime.
 */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    const rootLogger = createRootLogger(options.service, options.config.LOG_LEVEL);
    if (!register.getSingleMetric('process_cpu_seconds_total')) {
      collectDefaultMetrics({ labels: { service: options.service } });
    }
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: options.config },
      { provide: SERVICE_NAME, useValue: options.service },
      { provide: ROOT_LOGGER, useValue: rootLogger },
    ];
    const imports: DynamicModule['imports'] = [
      TerminusModule.forRoot({ logger: false }),
      LoggerModule.forRoot({
        pinoHttp: {
          logger: rootLogger,
          genReqId: requestId,
          customAttributeKeys: { reqId: 'requestId' },
          serializers: HTTP_SERIALIZERS,
          autoLogging: { ignore: (req) => QUIET_PATHS.includes(req.url ?? '') },
          quietReqLogger: true,
        },
      }),
    ];
    const exports: DynamicModule['exports'] = [SERVICE_CONFIG, SERVICE_NAME, ROOT_LOGGER];

    const backend = options.backend;
    if (backend) {
      const config = options.config as BackendServiceConfig;
      imports.push(
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            type: 'postgres' as const,
            url: config.DATABASE_URL,
            schema: backend.schema,
            entities: backend.entities,
            migrations: backend.migrations,
          }),
          // Opens the pool and runs the service's migrations before anything else starts.
          dataSourceFactory: () =>
            openServiceDataSource({
              url: config.DATABASE_URL,
              schema: backend.schema,
              entities: backend.entities,
              migrations: backend.migrations,
              poolSize: config.DB_POOL_SIZE,
              applicationName: options.service,
            }),
        }),
      );
      providers.push(
        { provide: SERVICE_SCHEMA, useValue: backend.schema },
        { provide: TOPIC_PLAN, useValue: backend.topics },
        MessagingRuntime,
      );
      exports.push(MessagingRuntime, SERVICE_SCHEMA);
    }

    return {
      module: ServiceKitModule,
      imports,
      controllers: [
        HealthController,
        MetricsController,
        PingController,
        UnauthenticatedCallController,
      ],
      providers,
      exports,
    };
  }
}
