// multer ships with @nestjs/platform-express but without types; only what upload.ts uses.
declare module 'multer' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface MulterFile {
    fieldname: string;
    originalname: string;
    mimetype: string;
    size: number;
    buffer: Buffer;
  }
  interface MulterError extends Error {
    code: string;
    field?: string;
  }
  type Handler = (
    req: IncomingMessage,
    res: ServerResponse,
    callback: (error?: unknown) => void,
  ) => void;
  interface Multer {
    single(field: string): Handler;
  }
  interface MulterFactory {
    (options: {
      storage: unknown;
      limits?: { fileSize?: number; files?: number; fields?: number; parts?: number };
    }): Multer;
    memoryStorage(): unknown;
    MulterError: new (code: string) => MulterError;
  }
  const multer: MulterFactory;
  export default multer;
  export type { MulterFile, MulterError };
}
