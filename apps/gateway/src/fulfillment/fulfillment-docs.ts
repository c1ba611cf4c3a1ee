import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  RAKUTEN_CARRIER_CODES,
  SPLIT_POLICIES,
  type SetInventoryBody,
  type ShipFulfillmentOrderBody,
  type ShopFulfillmentSettingsView,
  type SplitPolicy,
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

class PackingSlipSenderDoc {
  @ApiProperty({ example: 'スマートシップ雑貨店' }) name: string;
  @ApiPropertyOptional({ nullable: true, example: '150-0001' }) zipCode?: string | null;
  @ApiPropertyOptional({ nullable: true, example: '東京都' }) prefecture?: string | null;
  @ApiPropertyOptional({ nullable: true, example: '渋谷区' }) city?: string | null;
  @ApiPropertyOptional({ nullable: true, example: '神宮前1-2-3' }) subAddress?: string | null;
  @ApiPropertyOptional({ nullable: true, example: '03-1234-5678' }) phone?: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'ご注文ありがとうございました。' })
  message?: string | null;
}

export class ShopFulfillmentSettingsDoc implements ShopFulfillmentSettingsView {
  @ApiProperty({ format: 'uuid', description: 'Shop connection id' })
  shopId: string;

  @ApiProperty({ enum: SPLIT_POLICIES, example: 'hold' })
  splitPolicy: SplitPolicy;

  @ApiProperty({
    type: PackingSlipSenderDoc,
    nullable: true,
    description: 'The packing slip sender block; null: the orderer is named.',
  })
  sender: PackingSlipSenderDoc | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    description: 'null while the shop has the defaults (never set).',
  })
  updatedAt: string | null;
}
