import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  OPERATOR_CALLS,
  type SuspendTenantShopsCall,
  type SuspendTenantShopsResult,
} from '@smartship/contracts';
import { ROOT_LOGGER, SERVICE_CONFIG } from '@smartship/service-kit';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';

import { type OperatorPrincipal, auditActorOf } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { GatewayConfig } from '../config';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { callService } from '../service-clients/service-call';
import { clientToken } from '../service-clients/service-clients';
import type { OperatorShopDoc } from './operator-shop.view';
import { worstHealth, type OperatorTenantDoc } from './operator-tenant.view';
import { OperatorService } from './operator.service';

interface TenantRow {
  id: string;
  name: string;
  created_at: Date;
  disabled_at: Date | null;
  users: number;
  active_tokens: number;
}

const TENANT_SELECT = `
  SELECT t.id, t.name, t.created_at, t.disabled_at,
         (SELECT count(*)::int FROM gateway.users u WHERE u.tenant_id = t.id) AS users,
         (SELECT count(*)::int FROM gateway.api_tokens k
           WHERE k.tenant_id = t.id AND k.revoked_at IS NULL
             AND (k.expires_at IS NULL OR k.expires_at > now())) AS active_tokens
    FROM gateway.tenants t`;

/**
 * What operators do to tenants: list them with their people, tokens and shops' health, disable
 * and enable them, revoke all their tokens. Disabling takes effect in the gateway at once (every
 * token and session of the tenant is refused: see AccessService and SessionService), then the
 * credentials service suspends the tenant's shops, whose shop.updated stops ingestion's polls,
 * confirmations, shipping reports and stock pushes. Nothing is deleted; enabling undoes both.
 */
@Injectable()
export class OperatorTenantsService {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(clientToken('credentials')) private readonly credentials: ClientProxy,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    private readonly audit: AuditService,
    private readonly health: OperatorService,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ component: 'operator-tenants' });
  }

  /** Every tenant, newest first, with the shop columns from the health view when it answers. */
  async list(): Promise<{ items: OperatorTenantDoc[]; healthAvailable: boolean }> {
    const rows: TenantRow[] = await this.dataSource.query(
      `${TENANT_SELECT} ORDER BY t.created_at DESC, t.id`,
    );
    const shops = await this.shopsOrNull();
    return {
      items: rows.map((row) =>
        toView(row, shops && shops.filter((shop) => shop.tenantId === row.id)),
      ),
      healthAvailable: shops !== null,
    };
  }

  async get(
    tenantId: string,
  ): Promise<{ tenant: OperatorTenantDoc; shops: OperatorShopDoc[] | null }> {
    const row = await this.find(this.dataSource.manager, tenantId);
    const shops = await this.shopsOrNull(tenantId);
    return { tenant: toView(row, shops), shops };
  }

  /**
   * Disables (or enables) a tenant. The gateway's row changes first, so its tokens and sessions
   * stop (or work again) at once; then credentials suspends (or releases) its shops. When
   * credentials does not answer, the call fails with 503 naming it after the gateway's part is
   * done: calling again is safe and finishes the shops.
   */
  async setDisabled(
    operator: OperatorPrincipal,
    tenantId: string,
    disabled: boolean,
  ): Promise<{ tenant: OperatorTenantDoc; shopsChanged: number }> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, tenantId, true);
      if ((before.disabled_at !== null) === disabled) return;
      await manager.query(
        `UPDATE gateway.tenants SET disabled_at = ${disabled ? 'now()' : 'NULL'} WHERE id = $1`,
        [tenantId],
      );
      await this.audit.record(
        {
          tenantId,
          ...auditActorOf(operator),
          action: disabled ? 'tenant.disabled' : 'tenant.enabled',
          resourceType: 'tenant',
          resourceId: tenantId,
          details: {},
        },
        manager,
      );
    });
    const call: SuspendTenantShopsCall = { tenantId, suspended: disabled };
    const result = await callService<SuspendTenantShopsResult>(
      this.credentials,
      'credentials',
      OPERATOR_CALLS.credentialsSuspendTenant,
      call,
      this.config.SERVICE_CALL_TIMEOUT_MS,
    );
    this.logger.info(
      { tenantId, disabled, shopsChanged: result.changed },
      disabled ? 'tenant disabled by an operator' : 'tenant enabled by an operator',
    );
    const row = await this.find(this.dataSource.manager, tenantId);
    return { tenant: toView(row, null), shopsChanged: result.changed };
  }

  /** Revokes every live token of the tenant (one audit entry with the count). */
  async revokeTokens(operator: OperatorPrincipal, tenantId: string): Promise<{ revoked: number }> {
    return this.dataSource.transaction(async (manager) => {
      await this.find(manager, tenantId);
      const [, revoked]: [unknown[], number] = await manager.query(
        `UPDATE gateway.api_tokens SET revoked_at = now()
          WHERE tenant_id = $1 AND revoked_at IS NULL`,
        [tenantId],
      );
      await this.audit.record(
        {
          tenantId,
          ...auditActorOf(operator),
          action: 'tenant.tokens_revoked',
          resourceType: 'tenant',
          resourceId: tenantId,
          details: { revoked },
        },
        manager,
      );
      return { revoked };
    });
  }

  private async find(manager: EntityManager, tenantId: string, lock = false): Promise<TenantRow> {
    const [row]: TenantRow[] = await manager.query(
      `${TENANT_SELECT} WHERE t.id = $1${lock ? ' FOR UPDATE OF t' : ''}`,
      [tenantId],
    );
    if (!row) {
      throw new GatewayError(GatewayErrorCode.TenantNotFound, `No tenant ${tenantId}`);
    }
    return row;
  }

  /** The shops' health, or null when a service does not answer (the list still shows). */
  private async shopsOrNull(tenantId?: string): Promise<OperatorShopDoc[] | null> {
    try {
      return await this.health.shops(tenantId ? { tenantId } : {});
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'shop health unavailable');
      return null;
    }
  }
}

function toView(row: TenantRow, shops: OperatorShopDoc[] | null): OperatorTenantDoc {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    disabledAt: row.disabled_at?.toISOString() ?? null,
    users: row.users,
    activeTokens: row.active_tokens,
    shops: shops ? shops.length : null,
    shopsWithProblems: shops ? shops.filter((shop) => shop.problems.length > 0).length : null,
    worstHealth: shops ? worstHealth(shops) : null,
  };
}
