import { needsCsrf } from './access';
import type { ApiErrorBody } from './i18n/errors';

/** A failed call: the gateway's error body, or a NETWORK body when there was no answer. */
export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(`${body.code}: ${body.message}`);
    this.name = 'ApiError';
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  const body = value as Partial<ApiErrorBody> | null;
  return typeof body === 'object' && body !== null && typeof body.code === 'string';
}

/**
 * One call with the session cookie (httpOnly: the browser sends it, no script reads it); a call
 * that changes something carries the session's CSRF token in `x-csrf-token`.
 */
async function send(path: string, init: RequestInit, csrfToken: string | null): Promise<Response> {
  const headers = new Headers(init.headers);
  if (csrfToken && needsCsrf(init.method ?? 'GET')) headers.set('x-csrf-token', csrfToken);
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { ...init, headers, credentials: 'same-origin' });
  } catch (error) {
    throw new ApiError({ statusCode: 0, code: 'NETWORK', message: String(error) });
  }
  if (!response.ok) {
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    throw new ApiError(
      isErrorBody(body)
        ? { ...body, statusCode: response.status }
        : { statusCode: response.status, code: `HTTP_${response.status}`, message: text },
    );
  }
  return response;
}

/** The public gateway API (`/api/v1`) as the signed-in person (null: not signed in yet). */
export class Api {
  constructor(private readonly csrfToken: string | null) {}

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(
      path,
      {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      this.csrfToken,
    );
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  async upload<T>(path: string, field: string, file: File): Promise<T> {
    const form = new FormData();
    form.append(field, file, file.name);
    const response = await send(path, { method: 'POST', body: form }, this.csrfToken);
    return (await response.json()) as T;
  }

  /** A file the API answers (a PDF), fetched by script so an error shows in the page. */
  async blob(path: string): Promise<Blob> {
    const response = await send(path, { method: 'GET' }, this.csrfToken);
    return response.blob();
  }

  /** Downloads a file the API answers (the import template) under `fileName`. */
  async download(path: string, fileName: string): Promise<void> {
    const response = await send(path, { method: 'GET' }, this.csrfToken);
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** Query string from the defined values only. */
export function query(
  params: Record<string, string | number | boolean | undefined | null>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
