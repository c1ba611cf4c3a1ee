import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A SKU's stock in the warehouse, per tenant (stock belongs to the seller, not to a shop). */
@Entity({ name: 'stock' })
export class Stock {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  /** Seller-defined platform SKU code. */
  @PrimaryColumn({ name: 'sku_code', type: 'text' })
  skuCode: string;

  /** Units physically in the warehouse (count ≥ 0). */
  @Column({ name: 'on_hand', type: 'integer' })
  onHand: number;

  /** Units reserved for fulfillment orders sent to the warehouse and not shipped (count ≥ 0). */
  @Column({ type: 'integer' })
  reserved: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
