import type { Party, ShipmentLine } from '@smartship/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type FulfillmentOrderStatus = 'ready' | 'canceled' | 'shipped';

/** A shipping instruction (출하지시) for one marketplace package. */
@Entity({ name: 'fulfillment_orders' })
export class FulfillmentOrder {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'shop_id', type: 'text' })
  shopId: string;

  @Column({ name: 'order_number', type: 'text' })
  orderNumber: string;

  /** Rakuten basketId of the package. */
  @Column({ name: 'basket_id', type: 'bigint' })
  basketId: string;

  @Column({ type: 'text' })
  status: FulfillmentOrderStatus;

  @Column({ type: 'jsonb' })
  recipient: Party;

  /** SKU codes and quantities to pick. */
  @Column({ type: 'jsonb' })
  lines: ShipmentLine[];

  @Column({ name: 'requested_carrier_code', type: 'text', nullable: true })
  requestedCarrierCode: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
