import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  PackingSlipSenderInput,
  ShopFulfillmentSettingsGetCall,
  ShopFulfillmentSettingsPutCall,
  ShopFulfillmentSettingsView,
} from '@smartship/contracts';
import { DataSource, type EntityManager } from 'typeorm';

import { CallTransactions } from '../calls/call-transactions';
import { FulfillmentError, FulfillmentErrorCode } from '../calls/fulfillment.errors';
import { Dispatcher } from '../dispatch/dispatcher';
import { lockOrders } from '../dispatch/fulfillment-order.store';
import { StockBook } from '../stock/stock-book';
import {
  type FulfillmentSettings,
  forgetSettings,
  fulfillmentSettingsOf,
  saveFulfillmentSettings,
} from './fulfillment-settings';
import { lockShopSettings } from './shop-locks';
import { tenantsOfShop } from './shop-settings.store';

/**
 * The shop fulfillment-settings calls (`GET|PUT /shops/:shopId/fulfillment-settings` through the
 * gateway, which has checked that the shop is the caller's). A shop this service knows under
 * another tenant is a 404 here too. Switching the split policy to `ship_available` applies to
 * the shop's packages already waiting for stock at once: those with lines in stock split.
 */
@Injectable()
export class FulfillmentSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: CallTransactions,
    private readonly dispatcher: Dispatcher,
  ) {}

  async get({
    actor,
    shopId,
  }: ShopFulfillmentSettingsGetCall): Promise<ShopFulfillmentSettingsView> {
    const manager = this.dataSource.manager;
    await assertTenantShop(manager, actor.tenantId, shopId);
    const settings = await fulfillmentSettingsOf(manager, [shopId]);
    return toSettingsView(shopId, settings.get(shopId));
  }

  async put({
    actor,
    shopId,
    body,
  }: ShopFulfillmentSettingsPutCall): Promise<ShopFulfillmentSettingsView> {
    return this.transactions.run(async (tx) => {
      // Serialised with order.mapped of the shop (shared lock), which reads the policy.
      await lockShopSettings(tx.manager, shopId, 'exclusive');
      await assertTenantShop(tx.manager, actor.tenantId, shopId);
      const saved = await saveFulfillmentSettings(tx.manager, {
        shopId,
        tenantId: actor.tenantId,
        splitPolicy: body.splitPolicy,
        sender: body.sender ? storedSender(body.sender) : null,
      });
      forgetSettings(tx.manager, shopId);
      if (body.splitPolicy === 'ship_available') {
        const held = await lockOrders(
          tx.manager,
          `shop_id = $1 AND tenant_id = $2 AND status = 'awaiting_stock' AND part_kind = 'whole'`,
          [shopId, actor.tenantId],
        );
        const book = new StockBook(tx.manager, actor.tenantId);
        await this.dispatcher.retry(tx, book, held, 'split_policy');
        await tx.publish(book.inventoryEvents(tx.correlationId));
      }
      return toSettingsView(shopId, saved);
    });
  }
}

/** The sender block as stored: the fields given, nothing undefined. */
function storedSender(sender: PackingSlipSenderInput): PackingSlipSenderInput {
  const stored: PackingSlipSenderInput = { name: sender.name };
  for (const key of ['zipCode', 'prefecture', 'city', 'subAddress', 'phone', 'message'] as const) {
    const value = sender[key];
    if (value !== undefined && value !== null) stored[key] = value;
  }
  return stored;
}

function toSettingsView(
  shopId: string,
  settings: FulfillmentSettings | undefined,
): ShopFulfillmentSettingsView {
  return {
    shopId,
    splitPolicy: settings?.splitPolicy ?? 'hold',
    sender: settings?.sender ?? null,
    updatedAt: settings?.updatedAt?.toISOString() ?? null,
  };
}

/** A shop this service knows (from shop.updated or its settings) under another tenant: 404. */
async function assertTenantShop(
  manager: EntityManager,
  tenantId: string,
  shopId: string,
): Promise<void> {
  if ((await tenantsOfShop(manager, shopId)).some((tenant) => tenant !== tenantId)) {
    throw new FulfillmentError(
      FulfillmentErrorCode.SHOP_NOT_FOUND,
      `No shop ${shopId} in this tenant`,
      { shopId },
    );
  }
}
