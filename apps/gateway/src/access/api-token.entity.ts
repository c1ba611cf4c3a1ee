import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

import type { TokenScope } from './principal';

/** A tenant's API token. Only its SHA-256 is kept: the token itself is shown once, at creation. */
@Entity({ name: 'api_tokens' })
export class ApiToken {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** What the tenant calls it ("warehouse script"), to tell tokens apart when revoking. */
  @Column({ type: 'text' })
  name: string;

  /** Lowercase hex SHA-256 of the whole token string. */
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Updated at most once a minute, so authentication is not a write per request. */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** What the token may do: it acts as viewer (read), staff (write) or admin (admin). */
  @Column({ type: 'text' })
  scope: TokenScope;

  /** After this instant the token is refused (401); null: it does not expire. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** Who minted it: a token id, a user id, or `operator`; null for tokens older than the column. */
  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_by_type', type: 'text', nullable: true })
  createdByType: 'token' | 'user' | 'operator' | null;
}
