import type { IncomingMessage, ServerResponse } from 'node:http';

import { GatewayError, GatewayErrorCode } from './gateway.errors';

/** body-parser's error types (the `type` property of its http-errors). */
interface BodyParserError {
  type?: string;
  status?: number;
}

/**
 * A request that carries a body must carry JSON: the API has no form or text routes, and a form
 * body would otherwise reach the validators as an object of strings.
 */
type Next = (error?: unknown) => void;

/** `application/json` or `application/<anything>+json`, with any parameters. */
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.-]+\+)?json\s*(;|$)/i;

export function requireJsonBody(req: IncomingMessage, _res: ServerResponse, next: Next): void {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  if (hasBody && !JSON_MEDIA_TYPE.test(req.headers['content-type'] ?? '')) {
    next(
      new GatewayError(
        GatewayErrorCode.UnsupportedMediaType,
        'Send the request body as JSON with Content-Type: application/json',
        { contentType: req.headers['content-type'] ?? null },
      ),
    );
    return;
  }
  next();
}

/**
 * Turns body-parser's errors into gateway errors before Nest's own mapping sees them: Nest
 * would answer invalid JSON with the parser's message, which quotes the start of the body and
 * so could echo a secret.
 */
export function bodyParserErrors(limitBytes: number) {
  return function translateBodyErrors(
    error: unknown,
    _req: IncomingMessage,
    _res: ServerResponse,
    next: Next,
  ): void {
    const type = (error as BodyParserError | null)?.type;
    switch (type) {
      case 'entity.parse.failed':
        next(
          new GatewayError(
            GatewayErrorCode.InvalidJson,
            'The request body is not valid JSON: send one JSON object',
          ),
        );
        return;
      case 'entity.too.large':
        next(
          new GatewayError(
            GatewayErrorCode.PayloadTooLarge,
            `The request body is larger than ${limitBytes} bytes`,
            { limitBytes },
          ),
        );
        return;
      case 'charset.unsupported':
      case 'encoding.unsupported':
        next(
          new GatewayError(
            GatewayErrorCode.UnsupportedMediaType,
            'Send the request body as UTF-8 JSON without a content encoding',
          ),
        );
        return;
      case 'request.aborted':
      case 'request.size.invalid':
        next(new GatewayError(GatewayErrorCode.InvalidJson, 'The request body was incomplete'));
        return;
      default:
        next(error);
    }
  };
}
