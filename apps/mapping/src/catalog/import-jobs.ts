import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type ImportJobState,
  type ImportJobView,
  ImportPieceCall,
  ImportRefCall,
  type ImportReportView,
  type ServiceErrorBody,
  StartImportCall,
} from '@smartship/contracts';
import { ROOT_LOGGER, SERVICE_CONFIG, ServiceError, TickLoop } from '@smartship/service-kit';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

import { MappingConfig } from '../config';
import { CatalogService } from './catalog.service';
import { MappingError, MappingErrorCode } from './mapping.errors';
import { releaseMemory } from './release-memory';

interface JobRow {
  id: string;
  tenant_id: string;
  kind: 'skus' | 'rules';
  format: 'csv' | 'xlsx';
  file_name: string;
  size_bytes: number;
  pieces: number;
  state: ImportJobState;
  rows_read: number;
  report: ImportReportView | null;
  error: ServiceErrorBody | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** A job whose worker has not been heard of for this long is taken by another (or this) one. */
const STALE_SECONDS = 60;
/** A job still `receiving` after this long was abandoned by its sender: it and its pieces go. */
const ABANDONED_HOURS = 1;
/** Finished jobs (and their reports) are kept this long for `GET /imports/:id`. */
const KEPT_DAYS = 30;
/** A running job's progress and heartbeat are written at most this often. */
const PROGRESS_EVERY_MS = 1_000;

/**
 * Imports as background jobs. The gateway starts a job, sends the file in pieces of at most
 * IMPORT_PIECE_BYTES (each one TCP call: no frame carries the whole file) and asks for the job
 * until it ends. Pieces wait in `import_pieces`; once all are in, the job is queued and a worker
 * of any mapping instance takes it (`FOR UPDATE SKIP LOCKED`), one job at a time per instance,
 * so one tenant's big file takes at most one worker's turn while every instance's Kafka
 * consumers keep mapping orders (the parser itself yields to them between slices). A job whose
 * instance died is taken again after STALE_SECONDS; the import is all or nothing, so running it
 * twice is safe.
 */
@Injectable()
export class ImportJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly loop: TickLoop;
  private working: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: CatalogService,
    @Inject(SERVICE_CONFIG) config: MappingConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ component: 'import-jobs' });
    this.loop = new TickLoop(
      'import jobs',
      config.IMPORT_POLL_INTERVAL_MS,
      async () => {
        await this.housekeeping();
        this.kick();
        await this.working;
      },
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.working;
  }

  async start(call: StartImportCall): Promise<{ importId: string }> {
    const importId = randomUUID();
    await this.dataSource.query(
      `INSERT INTO mapping.import_jobs (id, tenant_id, kind, format, file_name, size_bytes, pieces, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'receiving')`,
      [
        importId,
        call.actor.tenantId,
        call.kind,
        call.format,
        call.fileName,
        call.sizeBytes,
        call.pieces,
      ],
    );
    return { importId };
  }

  /** Stores one piece; the last one queues the job. Sending a piece again replaces it. */
  async piece(call: ImportPieceCall): Promise<{ received: number; state: ImportJobState }> {
    const content = Buffer.from(call.contentBase64, 'base64');
    const answer = await this.dataSource.transaction(async (manager) => {
      const [job] = await manager.query<JobRow[]>(
        `SELECT * FROM mapping.import_jobs WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
        [call.importId, call.actor.tenantId],
      );
      if (!job) throw notFound(call.importId);
      if (job.state !== 'receiving') {
        throw new MappingError(
          MappingErrorCode.IMPORT_NOT_RECEIVING,
          `import ${call.importId} has all its pieces already (${job.state})`,
        );
      }
      if (call.index >= job.pieces) {
        throw MappingError.invalid([
          { field: 'index', problems: [`index must be below ${job.pieces}, the pieces announced`] },
        ]);
      }
      await manager.query(
        `INSERT INTO mapping.import_pieces (import_id, index, content) VALUES ($1, $2, $3)
         ON CONFLICT (import_id, index) DO UPDATE SET content = EXCLUDED.content`,
        [call.importId, call.index, content],
      );
      const [{ received, bytes }] = await manager.query<{ received: number; bytes: number }[]>(
        `SELECT count(*)::int AS received, coalesce(sum(length(content)), 0)::int AS bytes
           FROM mapping.import_pieces WHERE import_id = $1`,
        [call.importId],
      );
      if (bytes > job.size_bytes) {
        throw MappingError.invalid([
          {
            field: 'contentBase64',
            problems: [`the pieces hold more than the ${job.size_bytes} bytes announced`],
          },
        ]);
      }
      if (received < job.pieces) return { received, state: job.state };
      if (bytes !== job.size_bytes) {
        throw MappingError.invalid([
          {
            field: 'contentBase64',
            problems: [`the pieces hold ${bytes} bytes, not the ${job.size_bytes} announced`],
          },
        ]);
      }
      await manager.query(`UPDATE mapping.import_jobs SET state = 'queued' WHERE id = $1`, [
        call.importId,
      ]);
      return { received, state: 'queued' as const };
    });
    if (answer.state === 'queued') this.kick();
    return answer;
  }

  async get(call: ImportRefCall): Promise<ImportJobView> {
    const [job] = await this.dataSource.query<JobRow[]>(
      `SELECT * FROM mapping.import_jobs WHERE id = $1 AND tenant_id = $2`,
      [call.importId, call.actor.tenantId],
    );
    if (!job) throw notFound(call.importId);
    return toView(job);
  }

  /** Starts the worker unless it runs; it takes queued jobs until there are none. */
  private kick(): void {
    if (this.working || this.loop.signal.aborted) return;
    this.working = this.work()
      .catch((error: unknown) =>
        this.logger.error({ err: { message: (error as Error).message } }, 'import worker failed'),
      )
      .finally(() => {
        this.working = null;
      });
  }

  private async work(): Promise<void> {
    while (!this.loop.signal.aborted) {
      const job = await this.claim();
      if (!job) return;
      await this.run(job);
    }
  }

  /** The oldest queued job, or a running one whose worker went quiet. */
  private async claim(): Promise<JobRow | null> {
    // An UPDATE … RETURNING answers [rows, affected count] through TypeORM.
    const [rows] = await this.dataSource.query<[JobRow[], number]>(
      `UPDATE mapping.import_jobs SET state = 'running', started_at = now(), heartbeat_at = now()
        WHERE id = (
          SELECT id FROM mapping.import_jobs
           WHERE state = 'queued'
              OR (state = 'running' AND heartbeat_at < now() - $1 * interval '1 second')
           ORDER BY created_at
           FOR UPDATE SKIP LOCKED
           LIMIT 1)
        RETURNING *`,
      [STALE_SECONDS],
    );
    return rows[0] ?? null;
  }

  private async run(job: JobRow): Promise<void> {
    // One piece a query, copied into the file at once: the driver holds a piece's text form
    // only while it reads that piece, and no piece outlives its copy (the file is held once).
    const file = Buffer.allocUnsafe(job.size_bytes);
    let length = 0;
    for (let index = 0; index < job.pieces; index++) {
      const [piece] = await this.dataSource.query<{ content: Buffer }[]>(
        'SELECT content FROM mapping.import_pieces WHERE import_id = $1 AND index = $2',
        [job.id, index],
      );
      if (piece) length += piece.content.copy(file, length);
    }
    const content = file.subarray(0, length);
    const touch = (rows: number | null) =>
      this.dataSource
        .query(
          `UPDATE mapping.import_jobs SET rows_read = coalesce($2, rows_read), heartbeat_at = now()
            WHERE id = $1 AND state = 'running'`,
          [job.id, rows],
        )
        .catch(() => undefined);
    let lastWrite = 0;
    const progress = (rows: number) => {
      if (Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
      lastWrite = Date.now();
      void touch(rows);
    };
    // The import's own transaction can take a while after parsing: the heartbeat goes on.
    const heartbeat = setInterval(() => void touch(null), (STALE_SECONDS * 1000) / 4);
    let state: ImportJobState;
    let report: ImportReportView | null = null;
    let error: ServiceErrorBody | null = null;
    try {
      const file = {
        actor: { tenantId: job.tenant_id, actorId: 'import-job' },
        format: job.format,
        fileName: job.file_name,
        content,
      };
      const options = { importId: job.id, onRows: progress };
      report =
        job.kind === 'rules'
          ? await this.catalog.importRulesFile(file, options)
          : await this.catalog.importFile(file, options);
      state = 'applied';
    } catch (failure) {
      if (failure instanceof ServiceError) {
        error = failure.toBody();
        state = failure.code === String(MappingErrorCode.IMPORT_REJECTED) ? 'rejected' : 'failed';
        report = state === 'rejected' ? (failure.details as ImportReportView) : null;
      } else {
        // Not the file's fault (the database went away…): said plainly; the person tries again.
        this.logger.error({ err: failure, importId: job.id }, 'import job failed');
        error = {
          statusCode: 503,
          code: 'IMPORT_FAILED',
          message: 'The import could not be completed; nothing was stored. Try again.',
        };
        state = 'failed';
      }
    } finally {
      clearInterval(heartbeat);
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE mapping.import_jobs
            SET state = $2, report = $3, error = $4, finished_at = now(), heartbeat_at = now(),
                rows_read = coalesce(($3::jsonb ->> 'rows')::int, rows_read)
          WHERE id = $1`,
        [job.id, state, report, error],
      );
      await manager.query('DELETE FROM mapping.import_pieces WHERE import_id = $1', [job.id]);
    });
    this.logger.info(
      { importId: job.id, tenantId: job.tenant_id, state, rows: report?.rows ?? null },
      'import job finished',
    );
    releaseMemory();
  }

  /** Abandoned uploads and old finished jobs go (their pieces with them). */
  private async housekeeping(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM mapping.import_jobs
        WHERE (state = 'receiving' AND created_at < now() - $1 * interval '1 hour')
           OR (state IN ('applied', 'rejected', 'failed') AND finished_at < now() - $2 * interval '1 day')`,
      [ABANDONED_HOURS, KEPT_DAYS],
    );
  }
}

function notFound(importId: string): MappingError {
  return new MappingError(
    MappingErrorCode.IMPORT_NOT_FOUND,
    `No import ${importId} in this account`,
  );
}

function toView(job: JobRow): ImportJobView {
  return {
    id: job.id,
    kind: job.kind,
    format: job.format,
    fileName: job.file_name,
    sizeBytes: job.size_bytes,
    state: job.state,
    rowsRead: job.rows_read,
    report: job.report,
    error: job.error,
    createdAt: job.created_at.toISOString(),
    startedAt: job.started_at?.toISOString() ?? null,
    finishedAt: job.finished_at?.toISOString() ?? null,
  };
}
