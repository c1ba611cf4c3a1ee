import { ORDER_MESSAGES, type MessageModel, type MessageType } from '@smartship/rakuten';

/** A request as the simulator core sees it (framework-free, so it is testable without HTTP). */
export interface SimRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  authorization?: string;
  contentType?: string;
  /** The raw body text ('' when none). */
  body: string;
}

/** The core's answer; the HTTP adapter writes it. */
export interface SimResponse {
  status: number;
  /** JSON body (serialised by the adapter); absent with `text` or for 204. */
  json?: unknown;
  /** Raw body, e.g. an HTML maintenance page. */
  text?: string;
  contentType?: string;
  /** Hold the answer this long (injected timeout). */
  delayMs?: number;
  /** Drop the connection without answering (injected reset). */
  drop?: boolean;
}

/** RMS's documented Content-Type (no space before charset). */
export const RMS_JSON = 'application/json;charset=utf-8';

export function json(status: number, body: unknown): SimResponse {
  return { status, json: body, contentType: RMS_JSON };
}

export function noContent(): SimResponse {
  return { status: 204 };
}

/** A MessageModel with the official text when known. */
export function message(
  messageType: MessageType,
  messageCode: string,
  text?: string,
  extra: Partial<MessageModel> = {},
): MessageModel {
  return {
    messageType,
    messageCode,
    message: text ?? ORDER_MESSAGES[messageCode] ?? messageCode,
    ...extra,
  };
}

/** Inventory / Item API error body. */
export function apiErrors(
  status: number,
  errors: { code: string; message: string; propertyPath?: string }[],
): SimResponse {
  return json(status, {
    errors: errors.map((e) => ({
      code: e.code,
      message: e.message,
      ...(e.propertyPath ? { metadata: { propertyPath: e.propertyPath } } : {}),
    })),
  });
}
