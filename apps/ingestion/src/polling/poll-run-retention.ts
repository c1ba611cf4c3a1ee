import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ROOT_LOGGER, SERVICE_CONFIG, TickLoop } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { IngestionConfig } from '../config';

/** How often old poll runs are deleted. */
const EVERY_MS = 3_600_000;

/**
 * `ingestion.poll_runs` gets a row per poll of every shop (288 a day per shop at the default
 * 5-minute interval). Runs older than POLL_RUNS_RETENTION_DAYS go, except each shop's latest
 * (`GET /shops/:id/last-pull` and the operator's shop health read it). Any instance may do it:
 * the DELETE is the same whoever runs it.
 */
@Injectable()
export class PollRunRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: TickLoop;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: IngestionConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    const logger = rootLogger.child({ component: 'poll-run-retention' });
    this.loop = new TickLoop(
      'poll run retention',
      EVERY_MS,
      () => this.prune().then(() => undefined),
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start(60_000);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Deletes the runs past the window (not a shop's latest); answers how many went. */
  async prune(): Promise<number> {
    const [{ deleted }] = await this.dataSource.query<{ deleted: number }[]>(
      `WITH gone AS (
         DELETE FROM ingestion.poll_runs r
          WHERE r.started_at < now() - ($1::int * interval '1 day')
            AND r.started_at < (SELECT max(l.started_at) FROM ingestion.poll_runs l
                                 WHERE l.shop_id = r.shop_id)
         RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [this.config.POLL_RUNS_RETENTION_DAYS],
    );
    return deleted;
  }
}
