import { ApiProperty } from '@nestjs/swagger';

import { OperatorShopDoc, type ShopProblem } from './operator-shop.view';

/** How bad a tenant's worst shop is: `critical` stops orders or needs the seller now. */
export const SHOP_HEALTHS = ['ok', 'warning', 'critical'] as const;
export type ShopHealth = (typeof SHOP_HEALTHS)[number];

/** Problems that only warn (the rest are critical: orders stop or are lost to the warehouse). */
const WARNING_PROBLEMS: readonly ShopProblem[] = ['license_expiring', 'unmapped_lines'];

export function healthOf(problems: readonly ShopProblem[]): ShopHealth {
  if (problems.length === 0) return 'ok';
  return problems.every((problem) => WARNING_PROBLEMS.includes(problem)) ? 'warning' : 'critical';
}

/** The worst of some shops' health; null when there are none. */
export function worstHealth(shops: readonly { problems: ShopProblem[] }[]): ShopHealth | null {
  if (shops.length === 0) return null;
  const ranks = shops.map((shop) => SHOP_HEALTHS.indexOf(healthOf(shop.problems)));
  return SHOP_HEALTHS[Math.max(...ranks)];
}

/** A tenant as the operator console lists it. */
export class OperatorTenantDoc {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'When an operator disabled it; null while it works.',
  })
  disabledAt: string | null;

  @ApiProperty({ description: 'Its users (people who sign in), disabled ones included.' })
  users: number;

  @ApiProperty({ description: 'API tokens neither revoked nor expired.' })
  activeTokens: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Shops not deleted; null when the services did not answer.',
  })
  shops: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Of those, shops with a problem.' })
  shopsWithProblems: number | null;

  @ApiProperty({
    enum: SHOP_HEALTHS,
    nullable: true,
    description:
      'The worst shop: critical (needs re-auth, key expired, pulls, unpublishable orders or stock pushes failing), warning (key expiring, held unmapped lines) or ok; null without shops or when the services did not answer.',
  })
  worstHealth: ShopHealth | null;
}

export class OperatorTenantListDoc {
  @ApiProperty({ type: [OperatorTenantDoc] })
  items: OperatorTenantDoc[];

  @ApiProperty({
    description:
      'false when credentials, ingestion or mapping did not answer: the shop columns are null.',
  })
  healthAvailable: boolean;
}

export class OperatorTenantDetailDoc {
  @ApiProperty({ type: OperatorTenantDoc })
  tenant: OperatorTenantDoc;

  @ApiProperty({
    type: [OperatorShopDoc],
    nullable: true,
    description: 'Its shops with their health; null when the services did not answer.',
  })
  shops: OperatorShopDoc[] | null;
}

export class TenantStateChangeDoc {
  @ApiProperty({ type: OperatorTenantDoc })
  tenant: OperatorTenantDoc;

  @ApiProperty({
    description: 'Shops whose suspension changed in the credentials service (each published).',
  })
  shopsChanged: number;
}

export class TokensRevokedDoc {
  @ApiProperty({ description: 'Tokens revoked by this call (those already revoked not counted).' })
  revoked: number;
}
