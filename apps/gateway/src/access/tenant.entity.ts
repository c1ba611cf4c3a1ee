import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A seller's account: every shop, token and audit entry belongs to exactly one. */
@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** When an operator disabled it (null: enabled): its tokens, sessions and shops stop. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;
}
