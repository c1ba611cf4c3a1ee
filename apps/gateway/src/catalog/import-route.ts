import { HttpCode, Post, StreamableFile, applyDecorators } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes } from '@nestjs/swagger';
import type {
  ImportJobView,
  ImportKind,
  ImportReportView,
  SkuImportFormat,
  SkuImportLang,
} from '@smartship/contracts';

import { Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { validationFailed } from '../http/gateway.errors';
import type { CatalogService } from './catalog.service';
import { importTemplate } from './import-template';
import { IMPORT_FIELD, type UploadedImportFile } from './upload';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `POST <controller>/import`: an upload route of `catalog.write` with its OpenAPI description
 * (multipart field `file`; 200 the report, 202 the job still running).
 */
export function ImportRoute(): MethodDecorator {
  return applyDecorators(
    Post('import'),
    Requires('catalog.write'),
    HttpCode(200),
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: [IMPORT_FIELD],
        properties: { [IMPORT_FIELD]: { type: 'string', format: 'binary' } },
      },
    }),
    ApiAcceptedResponse({
      description: 'ImportJobView: the job, still running; follow it at Location.',
    }),
    ApiErrors(400, 401, 403, 413, 422, 503),
  );
}

/** What an import route's handler answers with: a 202 for a job still running. */
export interface ImportResponse {
  status(code: number): void;
  setHeader(name: string, value: string): void;
}

/**
 * The body of `POST /skus/import` and `POST /mappings/import`: checks the uploaded file (a 400
 * naming the field when it is missing, empty or of another format), runs the import job and
 * answers its report, or 202 with the job (Location: /api/v1/imports/:id) if it is not done
 * within the wait.
 */
export async function runImport(
  catalog: CatalogService,
  tenant: TenantPrincipal,
  kind: ImportKind,
  file: UploadedImportFile | undefined,
  wait: boolean,
  res: ImportResponse,
): Promise<ImportReportView | ImportJobView> {
  if (!file) {
    throw validationFailed([
      {
        field: IMPORT_FIELD,
        problems: [`send the file as multipart/form-data in the field "${IMPORT_FIELD}"`],
      },
    ]);
  }
  if (file.size === 0) {
    throw validationFailed([
      { field: IMPORT_FIELD, problems: ['the file is empty: the first row must be the header'] },
    ]);
  }
  const outcome = await catalog.importFile(
    tenant,
    kind,
    { fileName: file.originalname, format: formatOf(file), content: file.buffer },
    wait,
  );
  if (outcome.done) return outcome.report;
  res.status(202);
  res.setHeader('location', `/api/v1/imports/${outcome.job.id}`);
  return outcome.job;
}

/** `GET /skus/import/template` and `GET /mappings/import/template`: the file, as an attachment. */
export async function templateFile(
  kind: ImportKind,
  query: { format?: SkuImportFormat; lang?: SkuImportLang },
  res: Pick<ImportResponse, 'setHeader'>,
): Promise<StreamableFile> {
  const format = query.format ?? 'xlsx';
  res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE);
  res.setHeader('content-disposition', `attachment; filename="smartship-${kind}.${format}"`);
  return new StreamableFile(await importTemplate(format, query.lang ?? null, kind));
}

/** By extension, then by media type; anything else is a 400 naming the two formats. */
function formatOf(file: UploadedImportFile): SkuImportFormat {
  const name = file.originalname.toLowerCase();
  if (name.endsWith('.xlsx') || file.mimetype === XLSX_TYPE) return 'xlsx';
  if (name.endsWith('.csv') || /^text\/csv|application\/csv/.test(file.mimetype)) return 'csv';
  throw validationFailed([
    { field: IMPORT_FIELD, problems: ['the file must be .xlsx or .csv (UTF-8)'] },
  ]);
}
