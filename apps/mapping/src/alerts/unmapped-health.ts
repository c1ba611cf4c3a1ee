import { Controller, Injectable, OnModuleDestroy, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  OPERATOR_CALLS,
  OperatorShopsCall,
  type OperatorMappingShopView,
} from '@smartship/contracts';
import { ServiceCallFilter, ShopGauges, parseCall } from '@smartship/service-kit';
import { DataSource } from 'typeorm';

interface UnmappedFacts {
  tenantId: string;
  shopId: string;
  lines: number;
  oldest: Date | null;
}

/** Held order lines per shop, in one grouped query (metrics and the operator call). */
@Injectable()
export class UnmappedHealthStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async facts(tenantId?: string): Promise<UnmappedFacts[]> {
    const rows = await this.dataSource.query<
      { tenant_id: string; shop_id: string; lines: number; oldest: Date | null }[]
    >(
      `SELECT min(tenant_id) AS tenant_id, shop_id,
              sum(jsonb_array_length(evaluation -> 'unmapped'))::int AS lines,
              min(held_at) AS oldest
         FROM mapping.held_orders WHERE ($1::text IS NULL OR tenant_id = $1)
        GROUP BY shop_id ORDER BY 1, 2`,
      [tenantId ?? null],
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      shopId: row.shop_id,
      lines: row.lines,
      oldest: row.oldest,
    }));
  }
}

/**
 * `smartship_shop_unmapped_lines` (labels tenant_id, shop_id): held order lines, from the
 * database at scrape time (see ShopGauges). Shops with an empty queue are absent, not 0: mapping
 * does not know every shop.
 */
@Injectable()
export class UnmappedMetrics implements OnModuleDestroy {
  private readonly gauges: ShopGauges<UnmappedFacts>;

  constructor(store: UnmappedHealthStore) {
    this.gauges = new ShopGauges(
      () => store.facts(),
      [
        {
          name: 'smartship_shop_unmapped_lines',
          help: 'Order lines of the shop held in the unmapped queue.',
          value: (row) => row.lines,
        },
        {
          name: 'smartship_shop_oldest_unmapped_seconds',
          help: 'Seconds the oldest held order of the shop has waited for its lines to be linked.',
          value: (row) =>
            row.oldest ? Math.max(0, (Date.now() - row.oldest.getTime()) / 1000) : null,
        },
      ],
    );
  }

  onModuleDestroy(): void {
    this.gauges.close();
  }
}

/** The operator's shop-health call (gateway `GET /api/v1/operator/shops`). */
@Controller()
@UseFilters(ServiceCallFilter)
export class UnmappedHealthController {
  constructor(private readonly store: UnmappedHealthStore) {}

  @MessagePattern(OPERATOR_CALLS.mappingShopHealth)
  async shopHealth(@Payload() payload: unknown): Promise<{ items: OperatorMappingShopView[] }> {
    const call = parseCall(OperatorShopsCall, payload);
    const rows = await this.store.facts(call.tenantId);
    return {
      items: rows.map((row) => ({
        tenantId: row.tenantId,
        shopId: row.shopId,
        unmappedLines: row.lines,
        oldestHeldAt: row.oldest?.toISOString() ?? null,
      })),
    };
  }
}
