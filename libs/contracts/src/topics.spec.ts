import { ALL_TOPICS, dlqTopic, isEventType, isTenantScoped, TOPICS } from './topics';

describe('topics', () => {
  it('names the twelve topics: the ten of the design, tenant.alert and listings.imported', () => {
    expect([...ALL_TOPICS].sort()).toEqual(
      [
        'order.pulled',
        'order.mapped',
        'shipment.ready',
        'shop.updated',
        'order.canceled',
        'shipment.canceled',
        'order.shipped',
        'inventory.changed',
        'listing.stock.changed',
        'shop.alert',
        'tenant.alert',
        'listings.imported',
      ].sort(),
    );
  });

  it('derives the dead-letter topic by suffix', () => {
    expect(dlqTopic(TOPICS.ORDER_PULLED)).toBe('order.pulled.dlq');
    expect(dlqTopic(TOPICS.LISTING_STOCK_CHANGED)).toBe('listing.stock.changed.dlq');
  });

  it('tells known event types and tenant-scoped ones apart', () => {
    expect(isEventType('order.pulled')).toBe(true);
    expect(isEventType('order.pulled.dlq')).toBe(false);
    expect(isEventType(42)).toBe(false);
    expect(isTenantScoped(TOPICS.INVENTORY_CHANGED)).toBe(true);
    expect(isTenantScoped(TOPICS.TENANT_ALERT)).toBe(true);
    expect(isTenantScoped(TOPICS.LISTING_STOCK_CHANGED)).toBe(false);
  });
});
