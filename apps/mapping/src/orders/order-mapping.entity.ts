import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One Rakuten order whose lines were resolved to SKUs and published as order.mapped. */
@Entity({ name: 'mapped_orders' })
export class OrderMapping {
  @PrimaryColumn({ name: 'shop_id', type: 'text' })
  shopId: string;

  @PrimaryColumn({ name: 'order_number', type: 'text' })
  orderNumber: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  /** The order.pulled event this mapping came from. */
  @Column({ name: 'source_event_id', type: 'uuid' })
  sourceEventId: string;

  /** Order lines mapped (over all packages). */
  @Column({ type: 'integer' })
  lines: number;

  /** The order's revision mapped (1 for its first pull; a newer one replaces the row). */
  @Column({ type: 'integer' })
  revision: number;

  @CreateDateColumn({ name: 'mapped_at', type: 'timestamptz' })
  mappedAt: Date;
}
