import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createEvent, type ImportReportView, type ImportSkusCall } from '@smartship/contracts';
import { MessagingRuntime } from '@smartship/service-kit';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * One row per SKU import in `mapping.sku_imports`, its id the import's. An applied import is
 * recorded in the transaction that stores its SKUs. A rejected one (an all-or-nothing import
 * with refused rows stores nothing) is recorded after that transaction rolled back, in its own
 * transaction together with ONE `tenant.alert` import_errors (occurrenceKey
 * `import_errors:<importId>`): counts and the file name, never the rows' values. An unreadable
 * file (not xlsx/csv) is no import and raises no alert: the seller sees the 400 at once.
 */
@Injectable()
export class SkuImportRecords {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
  ) {}

  async recordApplied(
    manager: EntityManager,
    call: Pick<ImportSkusCall, 'actor' | 'fileName' | 'format'>,
    input: { importId: string; rows: number },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO mapping.sku_imports (id, tenant_id, file_name, format, rows_total, rows_failed, applied)
       VALUES ($1, $2, $3, $4, $5, 0, true)`,
      [input.importId, call.actor.tenantId, call.fileName, call.format, input.rows],
    );
  }

  async recordRejected(
    call: Pick<ImportSkusCall, 'actor' | 'fileName' | 'format'>,
    report: ImportReportView,
  ): Promise<void> {
    const importId = report.importId as string;
    // Rows named by the problems the report kept; with more problems than it keeps, at least.
    const rowsFailed = new Set(report.problems.map((problem) => problem.row)).size;
    const cut = report.problemCount > report.problems.length;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO mapping.sku_imports (id, tenant_id, file_name, format, rows_total, rows_failed, applied)
         VALUES ($1, $2, $3, $4, $5, $6, false)`,
        [importId, call.actor.tenantId, call.fileName, call.format, report.rows, rowsFailed],
      );
      await this.messaging.outbox.add(
        manager,
        createEvent('tenant.alert', {
          tenantId: call.actor.tenantId,
          shopId: null,
          data: {
            kind: 'import_errors',
            severity: 'warning',
            message: `The SKU import of ${call.fileName.slice(0, 300)} was refused: ${cut ? 'at least ' : ''}${rowsFailed} of ${report.rows} row(s) have problems (${report.problemCount} problem(s) in all), and nothing was stored. Correct the rows named in the import report and import the file again.`,
            details: {
              importId,
              fileName: call.fileName.slice(0, 300),
              rowsTotal: report.rows,
              rowsFailed,
            },
            occurrenceKey: `import_errors:${importId}`,
          },
        }),
      );
    });
  }
}
