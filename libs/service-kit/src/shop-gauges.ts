import { Gauge, register } from 'prom-client';

/** Labels of every per-shop metric: ids only, never a name, key or token. */
export type ShopLabel = 'tenant_id' | 'shop_id';

/** One row of facts about a shop, as a service's grouped query returns it. */
export interface ShopFacts {
  tenantId: string;
  shopId: string;
}

/** One gauge fed from the rows: `value` null leaves the shop out of that gauge. */
export interface ShopGaugeSpec<R extends ShopFacts> {
  name: string;
  help: string;
  value: (row: R) => number | null;
}

/**
 * Per-shop gauges computed from the database when Prometheus scrapes /metrics: every gauge reads
 * the same rows, loaded by one grouped query and kept for `ttlMs` (one scrape reads all gauges,
 * and several scrapers in a row cost one query). Facts come from the database only, so every
 * instance of a service exports the same values: dashboards and alert rules take `max by
 * (tenant_id, shop_id)`. When the query fails the gauges keep their last values (a scrape never
 * fails because of them) — the instance's own /health/ready tells the database is gone.
 *
 * The gauges live on prom-client's default registry (served by MetricsController); a gauge of the
 * same name is replaced, so an app started again in the same process (tests) owns its gauges.
 */
export class ShopGauges<R extends ShopFacts> {
  private readonly gauges: Gauge<ShopLabel>[];
  private cache?: { at: number; rows: Promise<R[] | null> };

  constructor(
    private readonly load: () => Promise<R[]>,
    specs: ShopGaugeSpec<R>[],
    private readonly ttlMs = 5_000,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client binds `this` to the gauge
    const owner = this;
    this.gauges = specs.map((spec) => {
      register.removeSingleMetric(spec.name);
      return new Gauge<ShopLabel>({
        name: spec.name,
        help: spec.help,
        labelNames: ['tenant_id', 'shop_id'],
        async collect() {
          const rows = await owner.rows();
          if (!rows) return;
          this.reset();
          for (const row of rows) {
            const value = spec.value(row);
            if (value !== null) this.set({ tenant_id: row.tenantId, shop_id: row.shopId }, value);
          }
        },
      });
    });
  }

  /** Removes the gauges from the registry (on module destroy). */
  close(): void {
    for (const gauge of this.gauges) {
      const name = (gauge as unknown as { name: string }).name;
      if (register.getSingleMetric(name) === gauge) register.removeSingleMetric(name);
    }
  }

  private rows(): Promise<R[] | null> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > this.ttlMs) {
      this.cache = { at: now, rows: this.load().catch(() => null) };
    }
    return this.cache.rows;
  }
}
