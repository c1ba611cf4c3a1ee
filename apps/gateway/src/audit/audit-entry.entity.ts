import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One change a tenant (or the operator) made, for "who changed what". Never a secret value. */
@Entity({ name: 'audit_log' })
export class AuditEntry {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** The API token id or user id that made the change, or `operator`. */
  @Column({ name: 'actor_id', type: 'text' })
  actorId: string;

  /** What actor_id names: `token`, `user` or `operator`. */
  @Column({ name: 'actor_type', type: 'text' })
  actorType: 'token' | 'user' | 'operator';

  /** What happened, e.g. `shop.registered`, `token.revoked`. */
  @Column({ type: 'text' })
  action: string;

  /** `shop`, `token` or `tenant`. */
  @Column({ name: 'resource_type', type: 'text' })
  resourceType: string;

  @Column({ name: 'resource_id', type: 'text' })
  resourceId: string;

  /** What changed (options, last 4 characters of a key, test result); never a secret. */
  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
