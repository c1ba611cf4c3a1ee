import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConnectionTestCode } from '@smartship/contracts';
import {
  PgRateLimiter,
  RakutenClient,
  RakutenError,
  RakutenErrorCode,
  SEARCH_DATE_TYPE,
  RATE_LIMITER_SCHEMA,
  ensureRateLimiterSchema,
  formatRmsDateTime,
  type RmsCredentials,
} from '@smartship/rakuten';
import { adoptSchemaObjects } from '@smartship/persistence';
import { SERVICE_CONFIG } from '@smartship/service-kit';
import { DataSource } from 'typeorm';

import { CredentialsConfig } from '../config';
import { Clock } from './clock';

export interface ProbeContext {
  /** When these keys were given to us: a key younger than the activation delay may not work yet. */
  keysSetAt: Date;
  /** The expiry we know from before, if any. */
  knownExpiry: Date | null;
}

export interface ProbeResult {
  code: ConnectionTestCode;
  message: string;
  durationMs: number;
  /** Expiry read from the LicenseManagementAPI, when the key may call it. */
  licenseExpiresAt: Date | null;
}

const DAY_MS = 86_400_000;

/**
 * Calls Rakuten with a shop's keys the way ingestion will (a searchOrder over the last day, and
 * the licence key's expiry date), through the per-key rate limiter that every service shares,
 * and turns the outcome into a code and a message a seller can act on. It never changes keys.
 */
@Injectable()
export class ConnectionTester implements OnModuleInit {
  private readonly limiter: PgRateLimiter;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: CredentialsConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    this.limiter = new PgRateLimiter((sql, params) => this.dataSource.query(sql, params));
  }

  async onModuleInit(): Promise<void> {
    await ensureRateLimiterSchema((sql, params) => this.dataSource.query(sql, params));
    // What a superuser created there goes to the schema's owner role (service-roles.ts).
    await adoptSchemaObjects(this.dataSource, RATE_LIMITER_SCHEMA);
  }

  async probe(credentials: RmsCredentials, context: ProbeContext): Promise<ProbeResult> {
    const started = performance.now();
    const client = new RakutenClient({
      credentials,
      baseUrl: this.config.RAKUTEN_BASE_URL,
      timeoutMs: this.config.RAKUTEN_TIMEOUT_MS,
      rateLimiter: this.limiter,
      // A seller is waiting for the answer: one quick retry at most.
      retry: { attempts: 2, initialDelayMs: 300, maxDelayMs: 1_000 },
    });
    const elapsed = () => Math.round(performance.now() - started);
    let licenseExpiresAt: Date | null = null;
    try {
      const now = this.clock.now();
      await client.searchOrder({
        dateType: SEARCH_DATE_TYPE.ORDER_DATE,
        startDatetime: formatRmsDateTime(new Date(now.getTime() - DAY_MS)),
        endDatetime: formatRmsDateTime(now),
        orderProgressList: [300],
        PaginationRequestModel: { requestRecordsAmount: 30, requestPage: 1 },
      });
      licenseExpiresAt = await this.readExpiry(client, credentials.licenseKey);
      return {
        code: 'OK',
        message: describe('OK', licenseExpiresAt),
        durationMs: elapsed(),
        licenseExpiresAt,
      };
    } catch (error) {
      const code = this.classify(error, context);
      const expiry = context.knownExpiry;
      return {
        code,
        message: describe(code, expiry, error),
        durationMs: elapsed(),
        licenseExpiresAt,
      };
    }
  }

  /** The LicenseManagementAPI may not be enabled for the key: then we fall back, silently. */
  private async readExpiry(client: RakutenClient, licenseKey: string): Promise<Date | null> {
    try {
      return (await client.getLicenseExpiry(licenseKey)).expiresAt;
    } catch {
      return null;
    }
  }

  private classify(error: unknown, context: ProbeContext): ConnectionTestCode {
    return classifyFailure(
      error,
      context,
      this.clock.now(),
      this.config.LICENSE_KEY_ACTIVATION_MINUTES,
    );
  }
}

/**
 * What a failed probe means for the seller. Rakuten answers ES01-01 for wrong, expired and
 * not-yet-active keys alike: what we know of the key tells them apart.
 */
export function classifyFailure(
  error: unknown,
  context: ProbeContext,
  now: Date,
  activationMinutes: number,
): ConnectionTestCode {
  if (!(error instanceof RakutenError)) return 'UNREACHABLE';
  switch (error.code) {
    case RakutenErrorCode.AUTHENTICATION:
      if (context.knownExpiry && context.knownExpiry.getTime() <= now.getTime())
        return 'LICENSE_KEY_EXPIRED';
      if (now.getTime() - context.keysSetAt.getTime() < activationMinutes * 60_000) {
        return 'LICENSE_KEY_NOT_ACTIVE_YET';
      }
      return 'AUTH_FAILED';
    case RakutenErrorCode.FUNCTION_NOT_ENABLED:
      return 'ORDER_API_NOT_ENABLED';
    case RakutenErrorCode.THROTTLED:
      return 'THROTTLED';
    case RakutenErrorCode.UNAVAILABLE:
    case RakutenErrorCode.UNEXPECTED_RESPONSE:
    case RakutenErrorCode.INVALID_REQUEST:
      return 'RAKUTEN_UNAVAILABLE';
    case RakutenErrorCode.TIMEOUT:
    case RakutenErrorCode.NETWORK:
      return 'UNREACHABLE';
  }
}

function day(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : 'an unknown date';
}

/** What the seller reads. Each message says what happened and what to do next. */
export function describe(code: ConnectionTestCode, expiry: Date | null, error?: unknown): string {
  const status = error instanceof RakutenError && error.status ? ` (HTTP ${error.status})` : '';
  switch (code) {
    case 'OK':
      return `Connected: Rakuten accepted the keys and the RakutenPay Order API answered.${
        expiry ? ` The licence key expires on ${day(expiry)}.` : ''
      }`;
    case 'AUTH_FAILED':
      return 'Rakuten refused the keys (ES01-01). Copy serviceSecret and licenseKey again in full from RMS > 店舗様向け情報・サービス > WEB APIサービス (the full licence key is under ライセンスキーの確認・変更) and renew them here.';
    case 'LICENSE_KEY_EXPIRED':
      return `The licence key expired on ${day(expiry)} (Rakuten keys are valid for 90 days). Issue a new one in RMS > WEB APIサービス > ライセンスキーの確認・変更 and renew it here.`;
    case 'LICENSE_KEY_NOT_ACTIVE_YET':
      return 'Rakuten has not accepted these keys yet. A new licence key starts working 10 to 30 minutes after it is issued: the platform tests it again by itself. If it was issued longer ago, the keys are wrong: copy them again from RMS > WEB APIサービス.';
    case 'ORDER_API_NOT_ENABLED':
      return 'These keys may not call the RakutenPay Order API (ES04-01). In RMS open WEB APIサービス > 利用機能編集, press [全て選択] for 楽天ペイ受注API (RakutenPay_OrderAPI), register, then test again.';
    case 'THROTTLED':
      return 'Rakuten asked us to slow down (too many requests for this key). Test again in a minute.';
    case 'RAKUTEN_UNAVAILABLE':
      return `Rakuten's API is unavailable or in maintenance right now${status}. Test again later; nothing needs to change on your side.`;
    case 'UNREACHABLE':
      return "Rakuten's API could not be reached (timeout or network error). Test again later; if it persists, contact support.";
  }
}
