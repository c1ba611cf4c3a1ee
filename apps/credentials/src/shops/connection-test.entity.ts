import type { ConnectionTestCode, ConnectionTestView } from '@smartship/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One connection test of a shop: its history is kept. */
@Entity({ name: 'connection_tests' })
export class ConnectionTest {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'shop_id', type: 'uuid' })
  shopId: string;

  @Column({ type: 'text' })
  trigger: ConnectionTestView['trigger'];

  @Column({ type: 'text' })
  code: ConnectionTestCode;

  @Column({ type: 'text' })
  message: string;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  /** Which keys were tested (the shop's key revision at the time). */
  @Column({ name: 'key_revision', type: 'integer' })
  keyRevision: number;

  @Column({ name: 'tested_at', type: 'timestamptz' })
  testedAt: Date;
}
