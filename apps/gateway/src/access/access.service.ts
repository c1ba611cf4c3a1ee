import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { SERVICE_CONFIG } from '@smartship/service-kit';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';

import { AuditService } from '../audit/audit.service';
import { GatewayConfig } from '../config';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { ApiToken } from './api-token.entity';
import { OPERATOR_ACTOR, Principal, TenantPrincipal } from './principal';
import { TENANT_TOKEN, generateToken, hashToken, isOperatorToken } from './token-secret';
import { Tenant } from './tenant.entity';

export interface TenantView {
  id: string;
  name: string;
  createdAt: string;
}

export interface TokenView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A token as answered once, at creation: the only time the secret leaves the gateway. */
export interface IssuedTokenView {
  id: string;
  name: string;
  createdAt: string;
  /** The bearer token. Not stored and never shown again: keep it now. */
  token: string;
}

/** How often last_used_at may be rewritten for one token. */
const LAST_USED_RESOLUTION = '1 minute';

/** Tenants, their API tokens, and who a bearer token belongs to. */
@Injectable()
export class AccessService {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ApiToken) private readonly tokens: Repository<ApiToken>,
    private readonly audit: AuditService,
  ) {}

  /** The principal of a bearer token, or null if it is no valid token. */
  async authenticate(token: string): Promise<Principal | null> {
    if (isOperatorToken(token, this.config.OPERATOR_TOKEN)) return { kind: 'operator' };
    if (!TENANT_TOKEN.test(token)) return null;
    const row = await this.tokens.findOne({
      where: { tokenHash: hashToken(token), revokedAt: IsNull() },
    });
    if (!row) return null;
    await this.dataSource.query(
      `UPDATE gateway.api_tokens SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '${LAST_USED_RESOLUTION}')`,
      [row.id],
    );
    return { kind: 'tenant', tenantId: row.tenantId, tokenId: row.id };
  }

  /** A new tenant and its first token, with the audit entry, in one transaction. */
  async createTenant(name: string): Promise<{ tenant: TenantView; token: IssuedTokenView }> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = manager.create(Tenant, { id: randomUUID(), name });
      await manager.insert(Tenant, tenant);
      const saved = await manager.findOneByOrFail(Tenant, { id: tenant.id });
      await this.audit.record(
        {
          tenantId: saved.id,
          actorId: OPERATOR_ACTOR,
          action: 'tenant.created',
          resourceType: 'tenant',
          resourceId: saved.id,
          details: { name },
        },
        manager,
      );
      const token = await this.issueToken(manager, saved.id, 'initial', OPERATOR_ACTOR);
      return {
        tenant: { id: saved.id, name: saved.name, createdAt: saved.createdAt.toISOString() },
        token,
      };
    });
  }

  async createToken(actor: TenantPrincipal, name: string): Promise<IssuedTokenView> {
    return this.dataSource.transaction((manager) =>
      this.issueToken(manager, actor.tenantId, name, actor.tokenId),
    );
  }

  async listTokens(tenantId: string): Promise<TokenView[]> {
    const rows = await this.tokens.find({ where: { tenantId }, order: { createdAt: 'ASC' } });
    return rows.map(toTokenView);
  }

  /**
   * Revokes one of the tenant's tokens; revoking a revoked token changes nothing. Another
   * tenant's token id is answered like an unknown one.
   */
  async revokeToken(actor: TenantPrincipal, tokenId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.update(
        ApiToken,
        { id: tokenId, tenantId: actor.tenantId, revokedAt: IsNull() },
        { revokedAt: () => 'now()' },
      );
      if (result.affected === 1) {
        await this.audit.record(
          {
            tenantId: actor.tenantId,
            actorId: actor.tokenId,
            action: 'token.revoked',
            resourceType: 'token',
            resourceId: tokenId,
            details: {},
          },
          manager,
        );
        return;
      }
      const exists = await manager.existsBy(ApiToken, { id: tokenId, tenantId: actor.tenantId });
      if (!exists) {
        throw new GatewayError(
          GatewayErrorCode.TokenNotFound,
          `No token ${tokenId} in this tenant`,
        );
      }
    });
  }

  private async issueToken(
    manager: EntityManager,
    tenantId: string,
    name: string,
    actorId: string,
  ): Promise<IssuedTokenView> {
    const token = generateToken();
    const id = randomUUID();
    await manager.insert(ApiToken, { id, tenantId, name, tokenHash: hashToken(token) });
    const saved = await manager.findOneByOrFail(ApiToken, { id });
    await this.audit.record(
      {
        tenantId,
        actorId,
        action: 'token.created',
        resourceType: 'token',
        resourceId: id,
        details: { name },
      },
      manager,
    );
    return { id, name, createdAt: saved.createdAt.toISOString(), token };
  }
}

function toTokenView(row: ApiToken): TokenView {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
