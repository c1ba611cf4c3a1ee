import type {
  CancellationView,
  FulfillmentOrderStatus,
  HoldView,
  Marketplace,
  Party,
  ShipmentLine,
} from '@smartship/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** What the warehouse confirmed, as stored (the view adds the carrier's name). */
export interface StoredShipment {
  carrierCode: string;
  trackingNumbers: string[];
  shippingDate: string;
  shippedAt: string;
}

/** A shipping instruction (출하지시) for one marketplace package. */
@Entity({ name: 'fulfillment_orders' })
export class FulfillmentOrder {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'shop_id', type: 'text' })
  shopId: string;

  @Column({ type: 'text' })
  marketplace: Marketplace;

  @Column({ name: 'order_number', type: 'text' })
  orderNumber: string;

  /** Rakuten basketId of the package. */
  @Column({ name: 'basket_id', type: 'bigint' })
  basketId: string;

  /** The order revision (1, then 2, 3, … after changes on Rakuten); unique with the package. */
  @Column({ type: 'integer' })
  revision: number;

  @Column({ type: 'text' })
  status: FulfillmentOrderStatus;

  @Column({ type: 'jsonb' })
  recipient: Party;

  /** SKU codes and quantities to pick, one line per SKU, in SKU-code order. */
  @Column({ type: 'jsonb' })
  lines: ShipmentLine[];

  @Column({ name: 'requested_carrier_code', type: 'text', nullable: true })
  requestedCarrierCode: string | null;

  @Column({ name: 'requested_delivery_date', type: 'text', nullable: true })
  requestedDeliveryDate: string | null;

  @Column({ name: 'requested_time_slot', type: 'integer', nullable: true })
  requestedTimeSlot: number | null;

  /** Why it waits (awaiting_* statuses); null otherwise. */
  @Column({ type: 'jsonb', nullable: true })
  hold: HoldView | null;

  /** true while its units are counted in stock.reserved. */
  @Column({ name: 'stock_reserved', type: 'boolean' })
  stockReserved: boolean;

  @Column({ type: 'jsonb', nullable: true })
  shipment: StoredShipment | null;

  @Column({ type: 'jsonb', nullable: true })
  cancellation: CancellationView | null;

  @Column({ name: 'needs_attention', type: 'boolean' })
  needsAttention: boolean;

  @Column({ name: 'attention_reason', type: 'text', nullable: true })
  attentionReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One step of a fulfillment order's path, for the order timeline. */
@Entity({ name: 'fulfillment_order_history' })
export class FulfillmentOrderHistory {
  @PrimaryColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'fulfillment_order_id', type: 'uuid' })
  fulfillmentOrderId: string;

  @Column({ type: 'text' })
  event: string;

  @Column({ type: 'text' })
  status: FulfillmentOrderStatus;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}
