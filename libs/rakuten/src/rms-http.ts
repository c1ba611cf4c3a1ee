import { esaAuthorization, licenseKeyId, trimCredentials, type RmsCredentials } from './esa';
import { ESA_CODES } from './rms-codes';
import {
  DEFAULT_RATE_LIMITS,
  RMS_BASE_URL,
  RMS_FUNCTIONS,
  type RmsFunctionKey,
  type RmsFunction,
  type RmsRateGroup,
} from './rms-functions';
import { RakutenError, RakutenErrorCode } from './rakuten.errors';
import { delay, rateRule, type RateLimiter } from './rate-limiter/rate-limiter';
import type { EsaErrorResponse, MessageModel, RmsApiErrorResponse } from './types/common.types';

/*
 * The HTTP layer of the Rakuten client: one place that authenticates, waits for the rate limiter,
 * applies the timeout, reads the body defensively (RMS can answer HTML during maintenance) and
 * turns every failure into a RakutenError. Reads are retried with exponential backoff and full
 * jitter; writes get exactly one attempt, because a write that timed out may have been applied
 * and only the caller knows what it recorded (docs/design.md, Guarantees).
 */

/** Retry policy for reads. */
export interface RetryPolicy {
  /** Attempts in total, the first included (1 = no retry). */
  attempts: number;
  /** Delay before the first retry, in ms. */
  initialDelayMs: number;
  /** Longest delay between attempts, in ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, initialDelayMs: 500, maxDelayMs: 20_000 };

/** How the client reaches RMS. Everything but the credentials has a default. */
export interface RmsHttpOptions {
  credentials: RmsCredentials;
  /** Default `https://api.rms.rakuten.co.jp`; the simulator's URL in tests. */
  baseUrl?: string;
  /** Per attempt, in ms. Public clients use 30–60 s (docs/rakuten-rms.md §6). Default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Shared limiter; without one, calls are not spaced (fine for tests, not for production). */
  rateLimiter?: RateLimiter;
  /** Requests per second per group; defaults to DEFAULT_RATE_LIMITS. */
  rateLimits?: Partial<Record<RmsRateGroup, number>>;
  /**
   * Added to every rate window, in ms (default 25): 1 rps is kept as 1 call per 1025 ms, which
   * absorbs clock granularity and jitter between our measure and Rakuten's.
   */
  rateLimitMarginMs?: number;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
  /** Random source for jitter (tests). */
  random?: () => number;
  /**
   * Told of every failed attempt, retried ones included (e.g. to count throttled calls per
   * shop). It must not throw; it is not awaited.
   */
  onAttemptFailed?: (error: RakutenError) => void;
}

/** One request to RMS. */
export interface RmsRequest {
  fn: RmsFunctionKey;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Statuses the caller handles itself (e.g. 404 for "no such SKU"); returned, not thrown. */
  acceptStatuses?: number[];
  signal?: AbortSignal;
}

/** A response that passed classification. `body` is undefined for 204 and empty bodies. */
export interface RmsResponse<T> {
  status: number;
  body: T | undefined;
}

/** Exponential backoff with full jitter between half and all of the step. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export class RmsHttp {
  private readonly baseUrl: string;
  private readonly authorization: string;
  private readonly secrets: string[];
  private readonly keyId: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly rates: Record<RmsRateGroup, number>;
  private readonly marginMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly random: () => number;

  constructor(private readonly options: RmsHttpOptions) {
    const credentials = trimCredentials(options.credentials);
    this.baseUrl = (options.baseUrl ?? RMS_BASE_URL).replace(/\/+$/, '');
    this.authorization = esaAuthorization(credentials);
    this.secrets = [credentials.serviceSecret, credentials.licenseKey].filter((s) => s.length > 0);
    this.keyId = licenseKeyId(credentials.licenseKey);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.rates = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
    this.marginMs = options.rateLimitMarginMs ?? 25;
    this.fetchFn = options.fetch ?? fetch;
    this.random = options.random ?? Math.random;
  }

  /** The licence key's non-reversible id (rate-limiter bucket prefix, logs). */
  get licenseKeyId(): string {
    return this.keyId;
  }

  /** Sends a request, retrying reads on retryable failures; throws RakutenError otherwise. */
  async send<T>(request: RmsRequest): Promise<RmsResponse<T>> {
    const fn = RMS_FUNCTIONS[request.fn];
    const attempts = fn.read ? Math.max(1, this.retry.attempts) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt<T>(request);
      } catch (error) {
        if (!(error instanceof RakutenError)) throw error;
        error.attempts = attempt;
        this.options.onAttemptFailed?.(error);
        if (!error.retryable || attempt >= attempts || request.signal?.aborted) throw error;
        const wait = Math.max(
          backoffDelayMs(attempt, this.retry, this.random),
          error.retryAfterMs ?? 0,
        );
        await delay(Math.min(wait, this.retry.maxDelayMs), request.signal);
      }
    }
  }

  private async attempt<T>(request: RmsRequest): Promise<RmsResponse<T>> {
    const fn = RMS_FUNCTIONS[request.fn];
    const permit = await this.options.rateLimiter?.acquire(
      `${this.keyId}:${fn.rateGroup}`,
      rateRule(this.rates[fn.rateGroup], this.marginMs, this.timeoutMs),
      request.signal,
    );
    try {
      return await this.exchange<T>(request, fn);
    } finally {
      // Rakuten has seen this call by now, whenever it arrived: it counts for one more window.
      // Best effort: a permit not released counts as in flight until its hold time ends.
      await permit?.release().catch(() => undefined);
    }
  }

  private async exchange<T>(request: RmsRequest, fn: RmsFunction): Promise<RmsResponse<T>> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const headers: Record<string, string> = { Authorization: this.authorization };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(this.url(request), {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted && !request.signal?.aborted) {
        throw new RakutenError(
          RakutenErrorCode.TIMEOUT,
          `no response within ${this.timeoutMs} ms${fn.read ? '' : ' (the write may have been applied)'}`,
          { function: request.fn },
        );
      }
      if (request.signal?.aborted) throw error;
      throw new RakutenError(
        RakutenErrorCode.NETWORK,
        `network error: ${this.scrub(describeCause(error))}`,
        { function: request.fn, cause: error },
      );
    }
    return this.classify<T>(request, response, text);
  }

  private url(request: RmsRequest): string {
    const url = new URL(this.baseUrl + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  /** Maps a response to a body or a RakutenError (see docs/rakuten-rms.md §1.3, §2.0, §5.1, §6). */
  private classify<T>(request: RmsRequest, response: Response, text: string): RmsResponse<T> {
    const fnName = request.fn;
    const status = response.status;
    const contentType = response.headers.get('content-type') ?? '';
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const trimmed = text.trim();

    if (status === 429) {
      return this.fail(RakutenErrorCode.THROTTLED, 'throttled by RMS (HTTP 429)', {
        function: fnName,
        status,
        retryAfterMs,
      });
    }
    // Maintenance pages and proxies answer HTML, sometimes with 200 (docs/rakuten-rms.md §6).
    if (trimmed.startsWith('<') || /text\/html/i.test(contentType)) {
      return this.fail(
        RakutenErrorCode.UNAVAILABLE,
        `RMS answered HTML with HTTP ${status} (maintenance?): ${excerpt(this.scrub(trimmed))}`,
        { function: fnName, status, retryAfterMs },
      );
    }
    let body: unknown;
    if (trimmed.length > 0) {
      try {
        body = JSON.parse(trimmed);
      } catch {
        const code =
          status >= 500 ? RakutenErrorCode.UNAVAILABLE : RakutenErrorCode.UNEXPECTED_RESPONSE;
        return this.fail(
          code,
          `body is not JSON (HTTP ${status}): ${excerpt(this.scrub(trimmed))}`,
          {
            function: fnName,
            status,
            retryAfterMs,
          },
        );
      }
    }

    const esa = asEsaError(body);
    if (esa) {
      const text = esa.Results.message ?? esa.Results.errorMessage ?? '';
      const rmsCode = esa.Results.errorCode;
      if (rmsCode === ESA_CODES.UNAUTHORISED || rmsCode.startsWith('ES01')) {
        return this.fail(
          RakutenErrorCode.AUTHENTICATION,
          `${rmsCode} ${text}: service secret or licence key rejected (licence key expired, reissued less than 30 minutes ago, or mistyped?)`,
          { function: fnName, status, rmsCode },
        );
      }
      if (rmsCode === ESA_CODES.BAD_REQUEST || rmsCode.startsWith('ES04')) {
        return this.fail(
          RakutenErrorCode.FUNCTION_NOT_ENABLED,
          `${rmsCode} ${text}: enable ${RMS_FUNCTIONS[fnName].name} for this licence key in RMS (WEB APIサービス > 利用設定 > 利用機能編集)`,
          { function: fnName, status, rmsCode },
        );
      }
      return this.fail(
        status >= 500 ? RakutenErrorCode.UNAVAILABLE : RakutenErrorCode.UNEXPECTED_RESPONSE,
        `unknown ESA gateway error ${rmsCode} ${this.scrub(text)} (HTTP ${status})`,
        { function: fnName, status, rmsCode },
      );
    }
    if (status === 401) {
      return this.fail(RakutenErrorCode.AUTHENTICATION, 'HTTP 401 from RMS', {
        function: fnName,
        status,
      });
    }
    if (status === 403) {
      return this.fail(RakutenErrorCode.FUNCTION_NOT_ENABLED, 'HTTP 403 from RMS', {
        function: fnName,
        status,
      });
    }
    if (request.acceptStatuses?.includes(status)) return { status, body: body as T };
    if (status >= 500) {
      return this.fail(RakutenErrorCode.UNAVAILABLE, `HTTP ${status} from RMS`, {
        function: fnName,
        status,
        retryAfterMs,
      });
    }
    if (status >= 400) {
      const messages = asMessageList(body);
      const errorMessage = messages?.find((m) => m.messageType === 'ERROR');
      if (errorMessage) {
        return this.fail(
          RakutenErrorCode.INVALID_REQUEST,
          `${errorMessage.messageCode} ${errorMessage.message}`,
          {
            function: fnName,
            status,
            rmsCode: errorMessage.messageCode,
            field: fieldOfMessage(errorMessage.message),
            messages: messages ?? undefined,
          },
        );
      }
      const errors = asApiErrors(body);
      if (errors && errors.errors.length > 0) {
        const first = errors.errors[0];
        return this.fail(RakutenErrorCode.INVALID_REQUEST, `${first.code} ${first.message}`, {
          function: fnName,
          status,
          rmsCode: first.code,
          field: first.metadata?.propertyPath ?? undefined,
          errors: errors.errors,
        });
      }
      return this.fail(
        RakutenErrorCode.UNEXPECTED_RESPONSE,
        `HTTP ${status} with an unknown body`,
        {
          function: fnName,
          status,
        },
      );
    }
    if (status < 200 || status >= 300) {
      return this.fail(RakutenErrorCode.UNEXPECTED_RESPONSE, `HTTP ${status} from RMS`, {
        function: fnName,
        status,
      });
    }
    return { status, body: body as T };
  }

  private fail(
    code: RakutenErrorCode,
    message: string,
    details: ConstructorParameters<typeof RakutenError>[2],
  ): never {
    throw new RakutenError(code, this.scrub(message), details);
  }

  /** Removes the credentials from any text that might reach an error message or a log. */
  private scrub(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join('[redacted]');
    return result;
  }
}

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asEsaError(body: unknown): EsaErrorResponse | null {
  if (!isObject(body) || !isObject(body.Results)) return null;
  return typeof body.Results.errorCode === 'string' ? (body as unknown as EsaErrorResponse) : null;
}

/** The body's MessageModelList, if it has one. */
export function asMessageList(body: unknown): MessageModel[] | null {
  if (!isObject(body) || !Array.isArray(body.MessageModelList)) return null;
  return body.MessageModelList as MessageModel[];
}

function asApiErrors(body: unknown): RmsApiErrorResponse | null {
  if (!isObject(body) || !Array.isArray(body.errors)) return null;
  return body as unknown as RmsApiErrorResponse;
}

/**
 * The request field an Order API message names: RMS texts start with it, e.g.
 * `startDatetimeの書式が不正です。` → `startDatetime`.
 */
export function fieldOfMessage(message: string): string | undefined {
  const match = /^([A-Za-z][A-Za-z0-9_.[\]]*)(?:の|は|が)/.exec(message);
  return match?.[1];
}
