import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  FULFILLMENT_ORDER_STATUSES,
  FulfillmentOrderFilter,
  InventoryFilter,
} from '@smartship/contracts';

/*
 * The query strings of GET /fulfillment-orders and GET /inventory. Validation is the contract
 * classes' own (inherited); these subclasses only add the OpenAPI description.
 */

/** `GET /fulfillment-orders?shopId=&status=&orderNumber=&skuCode=&needsAttention=&limit=&cursor=`. */
export class ListFulfillmentOrdersQueryDto extends FulfillmentOrderFilter {}

/** `GET /inventory?skuCode=&shortOnly=&limit=&cursor=`. */
export class ListInventoryQueryDto extends InventoryFilter {}

const describe = (
  cls: object,
  property: string,
  options: Parameters<typeof ApiPropertyOptional>[0],
) => ApiPropertyOptional(options)(cls, property);

describe(ListFulfillmentOrdersQueryDto.prototype, 'shopId', {
  format: 'uuid',
  description: 'Only this shop connection.',
});
describe(ListFulfillmentOrdersQueryDto.prototype, 'status', {
  enum: FULFILLMENT_ORDER_STATUSES,
  description: 'Only fulfillment orders in this status.',
});
describe(ListFulfillmentOrdersQueryDto.prototype, 'orderNumber', {
  description: 'Only this Rakuten order number.',
  example: '123456-20250301-0000000001',
});
describe(ListFulfillmentOrdersQueryDto.prototype, 'skuCode', {
  description: 'Only those with a line of this SKU.',
});
describe(ListFulfillmentOrdersQueryDto.prototype, 'needsAttention', {
  type: Boolean,
  description: 'true: only those flagged for a person (e.g. canceled after shipment).',
});
describe(ListFulfillmentOrdersQueryDto.prototype, 'limit', {
  type: Number,
  minimum: 1,
  maximum: 200,
  default: 50,
});
describe(ListFulfillmentOrdersQueryDto.prototype, 'cursor', {
  description: 'nextCursor of the previous page.',
});
describe(ListInventoryQueryDto.prototype, 'skuCode', {
  description: 'Only SKU codes starting with this.',
});
describe(ListInventoryQueryDto.prototype, 'shortOnly', {
  type: Boolean,
  description: 'true: only SKUs with orders held for them or less on hand than reserved.',
});
describe(ListInventoryQueryDto.prototype, 'limit', {
  type: Number,
  minimum: 1,
  maximum: 500,
  default: 100,
});
describe(ListInventoryQueryDto.prototype, 'cursor', {
  description: 'nextCursor of the previous page.',
});
