import {
  createEvent,
  decodeEvent,
  encodeEvent,
  eventKey,
  validateData,
  type DecodeResult,
} from './codec';
import { ContractViolationError } from './contracts.errors';
import {
  EXAMPLE_ORDER_NUMBER,
  EXAMPLE_SHOP_ID,
  EXAMPLE_TENANT_ID,
  exampleEvent,
  exampleInventoryChangedData,
  exampleOrderPulledData,
} from './examples';
import { EVENT_DEFINITIONS, type AnyEvent } from './registry';
import { EVENT_TYPES, TOPICS } from './topics';

const SECRET = 'SECRET-VALUE';

/** An encoded example event as a mutable plain object, to break on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- broken on purpose, field by field
function plainEvent(type: (typeof EVENT_TYPES)[number] = TOPICS.ORDER_PULLED): any {
  return JSON.parse(encodeEvent(exampleEvent(type)));
}

function expectFailure(result: DecodeResult, code: string): string {
  if (result.ok) throw new Error(`expected ${code}, got a decoded event`);
  expect(result.code).toBe(code);
  return result.reason;
}

describe('codec', () => {
  describe('round trip', () => {
    it.each(EVENT_TYPES)('a valid %s event decodes to the event that was encoded', (type) => {
      const event = exampleEvent(type) as AnyEvent;
      const encoded = encodeEvent(event);
      expect(typeof encoded).toBe('string');

      const result = decodeEvent(encoded);

      if (!result.ok) throw new Error(`${result.code}: ${result.reason}`);
      expect(result.event.type).toBe(type);
      expect(JSON.parse(encodeEvent(result.event))).toEqual(JSON.parse(encoded));
      expect(result.event.version).toBe(EVENT_DEFINITIONS[type].currentVersion);
      expect(eventKey(result.event)).toBe(eventKey(event));
    });

    it('decodes a Buffer as well as a string', () => {
      const encoded = encodeEvent(exampleEvent(TOPICS.ORDER_SHIPPED));
      const result = decodeEvent(Buffer.from(encoded, 'utf8'), [TOPICS.ORDER_SHIPPED]);
      expect(result.ok && result.event.data.parcels[0]?.carrierCode).toBe('1001');
    });

    it('hands on plain JSON data with unknown fields removed at every depth', () => {
      const plain = plainEvent(TOPICS.ORDER_PULLED);
      plain.extra = 'x';
      plain.data.extra = 'x';
      plain.data.order.packages[0].lines[0].extra = 'x';
      const result = decodeEvent(JSON.stringify(plain), [TOPICS.ORDER_PULLED]);
      if (!result.ok) throw new Error(result.reason);
      expect(Object.getPrototypeOf(result.event.data)).toBe(Object.prototype);
      expect(result.event).not.toHaveProperty('extra');
      expect(result.event.data).not.toHaveProperty('extra');
      expect(result.event.data.order.packages[0]?.lines[0]).not.toHaveProperty('extra');
      expect(result.event.data.order.packages[0]?.lines[0]?.itemName).toBe(
        plain.data.order.packages[0].lines[0].itemName,
      );
    });
  });

  describe('createEvent', () => {
    it('fills id, version, occurredAt and correlationId', () => {
      const event = createEvent(TOPICS.ORDER_PULLED, {
        tenantId: 't1',
        shopId: 's1',
        data: exampleOrderPulledData(),
      });
      expect(event.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(event.version).toBe(1);
      expect(event.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(event.correlationId).toBe(event.id);
      expect(event.shopId).toBe('s1');
    });

    it('keeps a given id, occurredAt and correlationId', () => {
      const event = createEvent(
        TOPICS.ORDER_CANCELED,
        {
          tenantId: 't1',
          shopId: 's1',
          correlationId: 'corr-1',
          data: {
            orderNumber: EXAMPLE_ORDER_NUMBER,
            rakutenStatus: 900,
            reason: 'canceled',
            detectedAt: '2025-03-01T11:00:00+09:00',
          },
        },
        { id: '6f1c2a7e-3b7d-4c1e-9a55-0d4f6b8e2c10', occurredAt: new Date(Date.UTC(2025, 2, 1)) },
      );
      expect(event.id).toBe('6f1c2a7e-3b7d-4c1e-9a55-0d4f6b8e2c10');
      expect(event.occurredAt).toBe('2025-03-01T00:00:00.000Z');
      expect(event.correlationId).toBe('corr-1');
    });

    it('gives a tenant-scoped event a null shopId and keys it by tenant and SKU', () => {
      const event = createEvent(TOPICS.INVENTORY_CHANGED, {
        tenantId: 't1',
        data: exampleInventoryChangedData({ skuCode: 'SKU-9' }),
      });
      expect(event.shopId).toBeNull();
      expect(eventKey(event)).toBe('t1:SKU-9');
    });

    it('refuses a shop-scoped event without a shop', () => {
      expect(() =>
        createEvent(TOPICS.ORDER_PULLED, {
          tenantId: 't1',
          data: exampleOrderPulledData(),
        } as never),
      ).toThrow(/shopId: shopId must be a non-empty string/);
    });

    it('refuses invalid data with the failing field paths and without their values', () => {
      const data = exampleOrderPulledData({ packages: 2 });
      data.order.packages[1].lines[0].units = 0;
      data.order.orderer.name = '';
      (data.order as { orderedAt: string }).orderedAt = SECRET;

      let error: unknown;
      try {
        createEvent(TOPICS.ORDER_PULLED, { tenantId: 't1', shopId: 's1', data });
      } catch (caught) {
        error = caught;
      }

      expect(error).toBeInstanceOf(ContractViolationError);
      const violation = error as ContractViolationError;
      expect(violation.type).toBe('order.pulled');
      expect(violation.violations).toEqual(
        expect.arrayContaining([
          'data.order.packages.1.lines.0.units: units must not be less than 1',
          'data.order.orderer.name: name should not be empty',
          'data.order.orderedAt: orderedAt must be an ISO-8601 date-time with a time-zone offset',
        ]),
      );
      expect(violation.message).not.toContain(SECRET);
    });

    it('validateData returns the validated instance with unknown fields stripped', () => {
      const data = { ...exampleInventoryChangedData(), extra: SECRET };
      const validated = validateData(TOPICS.INVENTORY_CHANGED, data);
      expect(validated).not.toHaveProperty('extra');
      expect(validated.skuCode).toBe('SKU-001');
    });
  });

  describe('keys', () => {
    it.each([
      [TOPICS.ORDER_PULLED, `${EXAMPLE_SHOP_ID}:${EXAMPLE_ORDER_NUMBER}`],
      [TOPICS.ORDER_MAPPED, `${EXAMPLE_SHOP_ID}:${EXAMPLE_ORDER_NUMBER}`],
      [TOPICS.SHIPMENT_READY, `${EXAMPLE_SHOP_ID}:${EXAMPLE_ORDER_NUMBER}`],
      [TOPICS.SHIPMENT_CANCELED, `${EXAMPLE_SHOP_ID}:${EXAMPLE_ORDER_NUMBER}`],
      [TOPICS.ORDER_CANCELED, `${EXAMPLE_SHOP_ID}:${EXAMPLE_ORDER_NUMBER}`],
      [TOPICS.ORDER_SHIPPED, `${EXAMPLE_SHOP_ID}:${EXAMPLE_ORDER_NUMBER}`],
      [TOPICS.INVENTORY_CHANGED, `${EXAMPLE_TENANT_ID}:SKU-001`],
      [TOPICS.LISTING_STOCK_CHANGED, `${EXAMPLE_SHOP_ID}:item-001:variant-001`],
      [TOPICS.SHOP_UPDATED, EXAMPLE_SHOP_ID],
      [TOPICS.SHOP_ALERT, EXAMPLE_SHOP_ID],
    ])('%s is keyed %s', (type, key) => {
      expect(eventKey(exampleEvent(type) as AnyEvent)).toBe(key);
    });

    it('every event type has a key test above', () => {
      expect(Object.keys(EVENT_DEFINITIONS).sort()).toEqual([...EVENT_TYPES].sort());
    });
  });

  describe('decode failures', () => {
    it.each([null, undefined, '', '   '])('an empty value (%p) is malformed_json', (raw) => {
      expectFailure(decodeEvent(raw), 'malformed_json');
    });

    it('text that is not JSON is malformed_json and the reason does not quote it', () => {
      const reason = expectFailure(decodeEvent(`{"id": ${SECRET}`), 'malformed_json');
      expect(reason).not.toContain(SECRET);
    });

    it.each(['[1,2]', '42', '"text"', 'null'])(
      'JSON that is not an object (%s) is invalid_envelope',
      (raw) => {
        expectFailure(decodeEvent(raw), 'invalid_envelope');
      },
    );

    it('an envelope without a type is invalid_envelope', () => {
      const plain = plainEvent();
      delete plain.type;
      expectFailure(decodeEvent(JSON.stringify(plain)), 'invalid_envelope');
    });

    it('a type nobody knows is unknown_type and the type is not echoed', () => {
      const plain = plainEvent();
      plain.type = SECRET;
      const reason = expectFailure(decodeEvent(JSON.stringify(plain)), 'unknown_type');
      expect(reason).not.toContain(SECRET);
    });

    it('a known type the consumer does not accept is unexpected_type', () => {
      const raw = encodeEvent(exampleEvent(TOPICS.ORDER_SHIPPED));
      const result = decodeEvent(raw, [TOPICS.ORDER_PULLED, TOPICS.ORDER_MAPPED]);
      const reason = expectFailure(result, 'unexpected_type');
      expect(reason).toContain('order.shipped');
      expect(!result.ok && result.type).toBe('order.shipped');
    });

    it('bad envelope fields are invalid_envelope, named by path, values left out', () => {
      const plain = plainEvent();
      plain.id = SECRET;
      plain.tenantId = '';
      plain.occurredAt = '2025-03-01 10:00';
      plain.version = 1.5;
      const reason = expectFailure(decodeEvent(JSON.stringify(plain)), 'invalid_envelope');
      expect(reason).toContain('id: id must be a UUID');
      expect(reason).toContain('tenantId: tenantId should not be empty');
      expect(reason).toContain('occurredAt: occurredAt must be an ISO-8601 date-time');
      expect(reason).toContain('version: version must be an integer number');
      expect(reason).not.toContain(SECRET);
    });

    it('a shop-scoped event without shopId is invalid_envelope', () => {
      const plain = plainEvent(TOPICS.ORDER_SHIPPED);
      plain.shopId = null;
      const reason = expectFailure(decodeEvent(JSON.stringify(plain)), 'invalid_envelope');
      expect(reason).toContain('shopId:');
    });

    it('a tenant-scoped event that names a shop is invalid_envelope', () => {
      const plain = plainEvent(TOPICS.INVENTORY_CHANGED);
      plain.shopId = 'shop-1';
      expectFailure(decodeEvent(JSON.stringify(plain)), 'invalid_envelope');
    });

    it('order.pulled version 2 is unknown_version for a consumer that knows version 1', () => {
      const plain = plainEvent(TOPICS.ORDER_PULLED);
      plain.version = 2;
      const result = decodeEvent(JSON.stringify(plain), [TOPICS.ORDER_PULLED]);
      const reason = expectFailure(result, 'unknown_version');
      expect(reason).toContain('order.pulled versions 1 only');
    });

    it('invalid data names nested field paths and never their values', () => {
      const plain = plainEvent(TOPICS.ORDER_PULLED);
      plain.data.order.packages[0].lines[1].units = 0;
      plain.data.order.packages[0].lines[0].unitPrice = SECRET;
      plain.data.order.orderer.email = 42;
      plain.data.order.packages[0].recipient.zipCode = { secret: SECRET };

      const result = decodeEvent(JSON.stringify(plain));

      const reason = expectFailure(result, 'invalid_data');
      expect(reason).toContain(
        'data.order.packages.0.lines.1.units: units must not be less than 1',
      );
      expect(reason).toContain(
        'data.order.packages.0.lines.0.unitPrice: unitPrice must be an integer number',
      );
      expect(reason).toContain('data.order.orderer.email: email must be a string');
      expect(reason).toContain('data.order.packages.0.recipient.zipCode: zipCode must be a string');
      expect(reason).not.toContain(SECRET);
      expect(reason).not.toContain('42');
    });

    it('an empty package list, an array instead of an object and missing data are invalid_data', () => {
      const noPackages = plainEvent();
      noPackages.data.order.packages = [];
      expect(expectFailure(decodeEvent(JSON.stringify(noPackages)), 'invalid_data')).toContain(
        'data.order.packages: packages must contain at least 1 elements',
      );

      const arrayOrder = plainEvent();
      arrayOrder.data.order = [];
      expect(expectFailure(decodeEvent(JSON.stringify(arrayOrder)), 'invalid_data')).toContain(
        'data.order: order must be an object',
      );

      const noData = plainEvent();
      delete noData.data;
      expectFailure(decodeEvent(JSON.stringify(noData)), 'invalid_envelope');
    });

    it('a line that is not an object is invalid_data with its index', () => {
      const plain = plainEvent();
      plain.data.order.packages[0].lines[1] = SECRET;
      const reason = expectFailure(decodeEvent(JSON.stringify(plain)), 'invalid_data');
      expect(reason).toContain('data.order.packages.0.lines');
      expect(reason).not.toContain(SECRET);
    });
  });

  describe('forward compatibility', () => {
    it('accepts unknown optional fields from a newer producer and strips them', () => {
      const plain = plainEvent(TOPICS.ORDER_PULLED);
      plain.causationId = 'abc';
      plain.data.newTopLevelField = { any: 'thing' };
      plain.data.order.giftFlag = true;
      plain.data.order.packages[0].lines[0].pointRate = 1;

      const result = decodeEvent(JSON.stringify(plain), [TOPICS.ORDER_PULLED]);

      if (!result.ok) throw new Error(result.reason);
      expect(result.event).not.toHaveProperty('causationId');
      expect(result.event.data).not.toHaveProperty('newTopLevelField');
      expect(result.event.data.order).not.toHaveProperty('giftFlag');
      expect(result.event.data.order.packages[0]?.lines[0]).not.toHaveProperty('pointRate');
    });

    it('ignores __proto__ and constructor keys instead of letting them reshape instances', () => {
      const raw = encodeEvent(exampleEvent(TOPICS.INVENTORY_CHANGED)).replace(
        '"data":{',
        '"data":{"__proto__":{"polluted":true},"constructor":{"x":1},',
      );
      const result = decodeEvent(raw, [TOPICS.INVENTORY_CHANGED]);
      if (!result.ok) throw new Error(result.reason);
      expect((result.event.data as unknown as { polluted?: boolean }).polluted).toBeUndefined();
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    });

    it('also when the key is spelled with \\u escapes, or sits deep in the order', () => {
      const raw = encodeEvent(exampleEvent(TOPICS.INVENTORY_CHANGED)).replace(
        '"data":{',
        '"data":{"__pro\\u0074o__":{"polluted":true},"construc\\u0074or":{"x":1},',
      );
      const result = decodeEvent(raw, [TOPICS.INVENTORY_CHANGED]);
      if (!result.ok) throw new Error(result.reason);
      expect(Object.keys(result.event.data)).not.toContain('__proto__');
      expect(Object.keys(result.event.data)).not.toContain('constructor');
      expect((result.event.data as unknown as { polluted?: boolean }).polluted).toBeUndefined();

      const pulled = encodeEvent(exampleEvent(TOPICS.ORDER_PULLED)).replace(
        '"orderer":{',
        '"orderer":{"__proto__":{"polluted":true},',
      );
      const deep = decodeEvent(pulled, [TOPICS.ORDER_PULLED]);
      if (!deep.ok) throw new Error(deep.reason);
      expect((deep.event.data.order.orderer as { polluted?: boolean }).polluted).toBeUndefined();
    });
  });
});
