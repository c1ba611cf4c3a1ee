import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { SERVICE_CONFIG } from '@smartship/service-kit';
import { DataSource, EntityManager, IsNull, Raw, Repository } from 'typeorm';

import { AuditService } from '../audit/audit.service';
import { GatewayConfig } from '../config';
import { GatewayError, GatewayErrorCode } from '../http/gateway.errors';
import { ApiToken } from './api-token.entity';
import {
  ActorType,
  OPERATOR_ACTOR,
  Principal,
  TenantPrincipal,
  TokenScope,
  auditActorOf,
  roleOfScope,
} from './principal';
import { mayGrantScope } from './roles';
import { TENANT_TOKEN, generateToken, hashToken, isOperatorToken } from './token-secret';
import { tenantDisabled } from './tenant-disabled';
import { Tenant } from './tenant.entity';

export interface TenantView {
  id: string;
  name: string;
  createdAt: string;
}

export interface TokenView {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  /** Who minted it (null for tokens minted before this was recorded). */
  createdBy: { type: ActorType; id: string } | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A token as answered once, at creation: the only time the secret leaves the gateway. */
export interface IssuedTokenView {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  /** The bearer token. Not stored and never shown again: keep it now. */
  token: string;
}

/** What a new token is: `POST /tokens` after validation. */
export interface NewToken {
  name: string;
  scope: TokenScope;
  expiresAt: Date | null;
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

  /**
   * The principal of a bearer token, or null if it is no valid token (unknown, revoked,
   * expired). A valid token of a tenant an operator disabled is a 403 TENANT_DISABLED: the
   * holder learns why, and it is not counted as a failed token check.
   */
  async authenticate(token: string): Promise<Principal | null> {
    if (isOperatorToken(token, this.config.OPERATOR_TOKEN)) {
      return { kind: 'operator', via: 'operator_token' };
    }
    if (!TENANT_TOKEN.test(token)) return null;
    const row = await this.tokens.findOne({
      where: {
        tokenHash: hashToken(token),
        revokedAt: IsNull(),
        // The database's clock decides, as for last_used_at.
        expiresAt: Raw((column) => `(${column} IS NULL OR ${column} > now())`),
      },
    });
    if (!row) return null;
    const [tenant]: { disabled: boolean }[] = await this.dataSource.query(
      'SELECT disabled_at IS NOT NULL AS disabled FROM gateway.tenants WHERE id = $1',
      [row.tenantId],
    );
    if (tenant?.disabled) throw tenantDisabled();
    await this.dataSource.query(
      `UPDATE gateway.api_tokens SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '${LAST_USED_RESOLUTION}')`,
      [row.id],
    );
    return {
      kind: 'tenant',
      tenantId: row.tenantId,
      role: roleOfScope(row.scope),
      via: 'token',
      tokenId: row.id,
      scope: row.scope,
    };
  }

  /**
   * A new tenant and its first token (admin scope: whoever holds it sets the tenant up), with the
   * audit entries, in one transaction.
   */
  async createTenant(name: string): Promise<{ tenant: TenantView; token: IssuedTokenView }> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = manager.create(Tenant, { id: randomUUID(), name });
      await manager.insert(Tenant, tenant);
      const saved = await manager.findOneByOrFail(Tenant, { id: tenant.id });
      await this.audit.record(
        {
          tenantId: saved.id,
          actorId: OPERATOR_ACTOR,
          actorType: 'operator',
          action: 'tenant.created',
          resourceType: 'tenant',
          resourceId: saved.id,
          details: { name },
        },
        manager,
      );
      const token = await this.issueToken(
        manager,
        saved.id,
        { name: 'initial', scope: 'admin', expiresAt: null },
        { actorId: OPERATOR_ACTOR, actorType: 'operator' },
      );
      return {
        tenant: { id: saved.id, name: saved.name, createdAt: saved.createdAt.toISOString() },
        token,
      };
    });
  }

  /**
   * A new token of the caller's tenant. Nobody mints a token with more rights than they have: a
   * scope whose role can do something the caller cannot is refused (403 TOKEN_ESCALATION), and
   * so is a token that would outlive the expiring token that mints it.
   */
  async createToken(actor: TenantPrincipal, token: NewToken): Promise<IssuedTokenView> {
    if (!mayGrantScope(actor.role, token.scope)) {
      throw new GatewayError(
        GatewayErrorCode.TokenEscalation,
        `A caller with role ${actor.role} cannot mint a token of scope ${token.scope}: ` +
          'a token never has more rights than whoever mints it',
      );
    }
    return this.dataSource.transaction(async (manager) => {
      if (actor.via === 'token') {
        const own = await manager.findOneByOrFail(ApiToken, { id: actor.tokenId });
        if (
          own.expiresAt !== null &&
          (token.expiresAt === null || token.expiresAt.getTime() > own.expiresAt.getTime())
        ) {
          throw new GatewayError(
            GatewayErrorCode.TokenEscalation,
            `This token expires at ${own.expiresAt.toISOString()}: ` +
              'a token it mints must set expiresAt no later than that',
          );
        }
      }
      return this.issueToken(manager, actor.tenantId, token, auditActorOf(actor));
    });
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
            ...auditActorOf(actor),
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
    { name, scope, expiresAt }: NewToken,
    creator: { actorId: string; actorType: ActorType },
  ): Promise<IssuedTokenView> {
    const token = generateToken();
    const id = randomUUID();
    await manager.insert(ApiToken, {
      id,
      tenantId,
      name,
      tokenHash: hashToken(token),
      scope,
      expiresAt,
      createdBy: creator.actorId,
      createdByType: creator.actorType,
    });
    const saved = await manager.findOneByOrFail(ApiToken, { id });
    await this.audit.record(
      {
        tenantId,
        ...creator,
        action: 'token.created',
        resourceType: 'token',
        resourceId: id,
        details: { name, scope, expiresAt: expiresAt?.toISOString() ?? null },
      },
      manager,
    );
    return {
      id,
      name,
      scope,
      createdAt: saved.createdAt.toISOString(),
      expiresAt: saved.expiresAt?.toISOString() ?? null,
      token,
    };
  }
}

function toTokenView(row: ApiToken): TokenView {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdBy:
      row.createdBy !== null && row.createdByType !== null
        ? { type: row.createdByType, id: row.createdBy }
        : null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
