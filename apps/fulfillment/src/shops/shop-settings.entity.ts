import type { ShopStatus } from '@smartship/contracts';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { EntityManager } from 'typeorm';

/**
 * The fulfillment service's own copy of what it needs of a shop (from shop.updated), so that it
 * decides dispatch without asking the credentials service.
 */
@Entity({ name: 'shop_settings' })
export class ShopSettings {
  /** Platform shop connection id. */
  @PrimaryColumn({ name: 'shop_id', type: 'text' })
  shopId: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ type: 'text' })
  status: ShopStatus;

  /** Send mapped orders to the warehouse without a person. */
  @Column({ name: 'auto_fulfillment_dispatch', type: 'boolean' })
  autoFulfillmentDispatch: boolean;

  /** Revision of the shop connection this copy is at; older shop.updated events are ignored. */
  @Column({ type: 'integer' })
  revision: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export async function findShopSettings(
  manager: EntityManager,
  shopId: string,
): Promise<{ autoFulfillmentDispatch: boolean; revision: number } | undefined> {
  const rows = await manager.query<{ auto_fulfillment_dispatch: boolean; revision: number }[]>(
    'SELECT auto_fulfillment_dispatch, revision FROM fulfillment.shop_settings WHERE shop_id = $1',
    [shopId],
  );
  return rows[0]
    ? { autoFulfillmentDispatch: rows[0].auto_fulfillment_dispatch, revision: rows[0].revision }
    : undefined;
}
