import { Controller, Get, Inject, Optional } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';

import { MessagingRuntime } from './messaging-runtime';
import { SERVICE_NAME } from './tokens';

/**
 * /health/live: the process runs and serves HTTP (restart it if not).
 * /health/ready: it can do its work — the database and the broker answer (send it no traffic if not).
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Optional() private readonly db?: TypeOrmHealthIndicator,
    @Optional() private readonly messaging?: MessagingRuntime,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check(this.service).up({ pid: process.pid })]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    const checks: (() => Promise<HealthIndicatorResult>)[] = [];
    const { db, messaging } = this;
    if (db && messaging) {
      checks.push(() => db.pingCheck('database', { timeout: 2_000 }));
      checks.push(async () => {
        const kafka = this.indicators.check('kafka');
        return (await messaging.brokerReachable())
          ? kafka.up()
          : kafka.down({ message: 'broker unreachable' });
      });
    }
    return this.health.check(checks);
  }
}
