import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  RAKUTEN_CARRIER_CODES,
  type SetInventoryBody,
  type ShipFulfillmentOrderBody,
} from '@smartship/contracts';

/*
 * OpenAPI schemas of the fulfillment bodies. The contracts lib carries no Nest decorators; these
 * classes describe the same fields, and `implements` keeps names and types in step.
 */

export class ShipFulfillmentOrderBodyDoc implements ShipFulfillmentOrderBody {
  @ApiProperty({
    enum: Object.keys(RAKUTEN_CARRIER_CODES),
    example: '1001',
    description:
      'Rakuten delivery company code (1001 ヤマト運輸, 1002 佐川急便, 1003 日本郵便, …); never the name.',
  })
  carrierCode: string;

  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 20,
    example: ['1234-5678-9012'],
    description:
      'One tracking number per parcel (1..20), each ≤ 120 printable ASCII characters without spaces.',
  })
  trackingNumbers: string[];

  @ApiProperty({
    format: 'date',
    example: '2025-03-02',
    description: 'Day the parcels were handed over, YYYY-MM-DD in JST; not after today.',
  })
  shippingDate: string;
}

export class SetInventoryBodyDoc implements SetInventoryBody {
  @ApiProperty({
    minimum: 0,
    maximum: 10_000_000,
    example: 120,
    description: 'Units on hand after the count.',
  })
  onHand: number;

  @ApiPropertyOptional({
    maxLength: 500,
    example: 'arrival PO-1234',
    description: 'Why it changed (kept in the audit log).',
  })
  note?: string;
}
