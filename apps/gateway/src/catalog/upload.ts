import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SKU_IMPORT_MAX_BYTES } from '@smartship/contracts';
import multer, { type MulterError, type MulterFile } from 'multer';

import { ApiTokenGuard } from '../access/api-token.guard';
import type { AuthenticatedRequest } from '../access/principal';
import { GatewayError, GatewayErrorCode, validationFailed } from '../http/gateway.errors';

/** The routes that take a file (multipart/form-data, field `file`): SKUs and name rules. */
export const IMPORT_PATHS = ['/api/v1/skus/import', '/api/v1/mappings/import'] as const;
export const IMPORT_FIELD = 'file';
/** The import routes' rule (as their `@Requires`), checked before the body is read. */
const IMPORT_ACCESS = { permission: 'catalog.write' } as const;

/** What the upload leaves on the request for the controller (`@UploadedFile()`). */
export type UploadedImportFile = MulterFile;

type Next = (error?: unknown) => void;

/**
 * Reads the multipart upload of the import routes before the gateway's JSON-only body rule runs.
 *
 * Why it is registered this way: `configureHttp` installs `requireJsonBody` with `app.use`,
 * which answers 415 to any body that is not JSON, and Nest's own middleware and interceptors
 * (FileInterceptor) run after it. This provider is built while the application is created,
 * before `configureHttp`, so the Express handler it adds comes first. It reads the file into
 * memory (at most SKU_IMPORT_MAX_BYTES), then marks the body as consumed (content-length 0) so
 * the JSON rule and parser leave the request alone. Before it reads a byte of the body it admits
 * the caller the way the route guard does (API token, or session cookie with its CSRF token,
 * `catalog.write`, the tenant's request limit), so a stranger cannot make the gateway buffer
 * 20 MB; the guard then only re-checks the rule for the route.
 * The cleaner fix is a multipart exception in `http/body-parsing.ts` (owned elsewhere); with
 * it, this class reduces to FileInterceptor.
 */
@Injectable()
export class ImportUploadParser {
  constructor(adapterHost: HttpAdapterHost, guard: ApiTokenGuard) {
    // Absent under Test.createTestingModule before createNestApplication.
    const adapter = adapterHost.httpAdapter as
      { use(path: string, handler: unknown): void } | undefined;
    const handler = importUploadHandler(guard);
    for (const path of IMPORT_PATHS) adapter?.use(path, handler);
  }
}

export function importUploadHandler(guard: Pick<ApiTokenGuard, 'admit'>) {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: SKU_IMPORT_MAX_BYTES, files: 1, fields: 10, parts: 12 },
  }).single(IMPORT_FIELD);
  return function readImportUpload(req: IncomingMessage, res: ServerResponse, next: Next): void {
    const type = req.headers['content-type'] ?? '';
    if (req.method !== 'POST' || !/^multipart\/form-data/i.test(type)) {
      next();
      return;
    }
    guard.admit(req as IncomingMessage & AuthenticatedRequest, IMPORT_ACCESS).then(
      () => readFile(req, res, next),
      (error: unknown) => next(error),
    );
  };

  function readFile(req: IncomingMessage, res: ServerResponse, next: Next): void {
    upload(req, res, (error?: unknown) => {
      if (error) {
        next(uploadError(error as MulterError));
        return;
      }
      // The body has been read; to the handlers after us it is an empty one.
      req.headers['content-length'] = '0';
      delete req.headers['transfer-encoding'];
      next();
    });
  }
}

function uploadError(error: MulterError): Error {
  if (error.code === 'LIMIT_FILE_SIZE') {
    return new GatewayError(
      GatewayErrorCode.PayloadTooLarge,
      `The file is larger than ${SKU_IMPORT_MAX_BYTES} bytes`,
      { limitBytes: SKU_IMPORT_MAX_BYTES },
    );
  }
  if (typeof error.code === 'string' && error.code.startsWith('LIMIT_')) {
    return validationFailed([
      {
        field: IMPORT_FIELD,
        problems: [`send one file in the form field "${IMPORT_FIELD}" (${error.code})`],
      },
    ]);
  }
  return validationFailed([
    { field: IMPORT_FIELD, problems: ['the multipart body could not be read'] },
  ]);
}
