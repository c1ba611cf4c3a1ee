import {
  type AnyEvent,
  type InventoryChangeReason,
  type ShipmentLine,
  createEvent,
} from '@smartship/contracts';
import type { EntityManager } from 'typeorm';

import {
  type ReservationPlan,
  type StockLevel,
  availableOf,
  planReservation,
  release,
  reserve,
  ship,
} from './stock-arithmetic';

interface StockRow {
  sku_code: string;
  on_hand: number;
  reserved: number;
}

/**
 * The stock rows one transaction works on, locked (`SELECT … FOR UPDATE`) before they are read.
 *
 * Why two orders never reserve the same last unit: a reservation reads a SKU's counts only after
 * it holds the row lock, and keeps the lock until its transaction ends; a second transaction that
 * wants the same SKU waits at the lock and then reads the counts the first one committed. The
 * UPDATE itself also says `on_hand - reserved >= quantity`, so even a caller that forgot the lock
 * could not oversell. Rows are locked in SKU-code order, so two transactions that each need
 * several SKUs lock them in the same order and cannot deadlock on each other (a transaction that
 * locks more rows later — a consumer chunk of several events — may still meet a deadlock, which
 * PostgreSQL breaks by failing one transaction; it is retried whole).
 *
 * It also remembers which SKUs changed and why, for one `inventory.changed` per SKU per
 * transaction with the final counts.
 */
export class StockBook {
  private readonly levels = new Map<string, StockLevel>();
  private readonly changes = new Map<string, InventoryChangeReason>();

  constructor(
    private readonly manager: EntityManager,
    readonly tenantId: string,
  ) {}

  /** Locks the rows of these SKUs (creating missing ones with nothing on hand), in code order. */
  async lock(skuCodes: Iterable<string>): Promise<void> {
    const wanted = [...new Set(skuCodes)].filter((sku) => !this.levels.has(sku)).sort(byCode);
    if (wanted.length === 0) return;
    await this.manager.query(
      `INSERT INTO fulfillment.stock (tenant_id, sku_code)
       SELECT $1, sku FROM unnest($2::text[]) AS sku ORDER BY sku
       ON CONFLICT DO NOTHING`,
      [this.tenantId, wanted],
    );
    const rows = await this.manager.query<StockRow[]>(
      `SELECT sku_code, on_hand, reserved FROM fulfillment.stock
        WHERE tenant_id = $1 AND sku_code = ANY($2::text[])
        ORDER BY sku_code COLLATE "C" FOR UPDATE`,
      [this.tenantId, wanted],
    );
    for (const row of rows) {
      this.levels.set(row.sku_code, { onHand: row.on_hand, reserved: row.reserved });
    }
  }

  level(skuCode: string): StockLevel {
    const level = this.levels.get(skuCode);
    if (!level) throw new Error(`stock row ${skuCode} used without its lock`);
    return level;
  }

  /** Whether these lines fit now, without reserving (their rows must be locked). */
  check(lines: readonly ShipmentLine[]): ReservationPlan {
    for (const line of lines) this.level(line.skuCode);
    return planReservation(lines, this.levels);
  }

  /** Units of a locked SKU that can still be promised (on hand − reserved). */
  available(skuCode: string): number {
    return availableOf(this.level(skuCode));
  }

  /** Reserves every line or none; the plan says which lines are short. */
  async reserve(lines: readonly ShipmentLine[]): Promise<ReservationPlan> {
    await this.lock(lines.map((line) => line.skuCode));
    const plan = planReservation(lines, this.levels);
    if (!plan.ok) return plan;
    const rows = await updateReturning(
      this.manager,
      `UPDATE fulfillment.stock s
          SET reserved = s.reserved + n.quantity, updated_at = now()
         FROM unnest($2::text[], $3::int[]) AS n(sku_code, quantity)
        WHERE s.tenant_id = $1 AND s.sku_code = n.sku_code
          AND s.on_hand - s.reserved >= n.quantity
        RETURNING s.sku_code, s.on_hand, s.reserved`,
      [this.tenantId, lines.map((line) => line.skuCode), lines.map((line) => line.quantity)],
    );
    if (rows.length !== lines.length) {
      // Cannot happen while the rows are locked; failing rolls the whole transaction back.
      throw new Error('stock changed under a held lock: reservation refused');
    }
    this.remember(rows, 'reservation');
    return plan;
  }

  /**
   * Reserves for several fulfillment orders, in the order given, as reserve() one after the other
   * would (each all or nothing, each seeing what the ones before it took), with one UPDATE.
   */
  async reserveMany(list: readonly (readonly ShipmentLine[])[]): Promise<ReservationPlan[]> {
    await this.lock(list.flatMap((lines) => lines.map((line) => line.skuCode)));
    const plans: ReservationPlan[] = [];
    const taken = new Map<string, number>();
    for (const lines of list) {
      const plan = planReservation(lines, this.levels);
      plans.push(plan);
      if (!plan.ok) continue;
      for (const { skuCode, quantity } of lines) {
        this.levels.set(skuCode, reserve(this.level(skuCode), quantity));
        taken.set(skuCode, (taken.get(skuCode) ?? 0) + quantity);
      }
    }
    if (taken.size === 0) return plans;
    const rows = await updateReturning(
      this.manager,
      `UPDATE fulfillment.stock s
          SET reserved = s.reserved + n.quantity, updated_at = now()
         FROM unnest($2::text[], $3::int[]) AS n(sku_code, quantity)
        WHERE s.tenant_id = $1 AND s.sku_code = n.sku_code
          AND s.on_hand - s.reserved >= n.quantity
        RETURNING s.sku_code, s.on_hand, s.reserved`,
      [this.tenantId, [...taken.keys()], [...taken.values()]],
    );
    if (rows.length !== taken.size) {
      throw new Error('stock changed under a held lock: reservation refused');
    }
    this.remember(rows, 'reservation');
    return plans;
  }

  /** Gives a reservation back (the fulfillment order was canceled). */
  async release(lines: readonly ShipmentLine[], reason: InventoryChangeReason): Promise<void> {
    await this.write(
      lines.map(({ skuCode, quantity }) => [skuCode, release(this.level(skuCode), quantity)]),
      reason,
    );
  }

  /** The units left the warehouse; their reservation ends with them. */
  async ship(lines: readonly ShipmentLine[], wasReserved: boolean): Promise<void> {
    await this.lock(lines.map((line) => line.skuCode));
    await this.write(
      lines.map(({ skuCode, quantity }) => [
        skuCode,
        ship(this.level(skuCode), quantity, wasReserved),
      ]),
      'shipment',
    );
  }

  /** Sets the units on hand (stock-take or arrival); reservations stay. */
  async setOnHand(skuCode: string, onHand: number): Promise<void> {
    await this.lock([skuCode]);
    await this.write([[skuCode, { onHand, reserved: this.level(skuCode).reserved }]], 'adjustment');
  }

  /** One `inventory.changed` per SKU changed in this transaction, with its final counts. */
  inventoryEvents(correlationId?: string): AnyEvent[] {
    return [...this.changes].map(([skuCode, reason]) => {
      const level = this.level(skuCode);
      return createEvent('inventory.changed', {
        tenantId: this.tenantId,
        correlationId,
        data: {
          skuCode,
          onHand: level.onHand,
          reserved: level.reserved,
          available: availableOf(level),
          reason,
        },
      });
    });
  }

  private async write(next: [string, StockLevel][], reason: InventoryChangeReason): Promise<void> {
    if (next.length === 0) return;
    const rows = await updateReturning(
      this.manager,
      `UPDATE fulfillment.stock s
          SET on_hand = n.on_hand, reserved = n.reserved, updated_at = now()
         FROM unnest($2::text[], $3::int[], $4::int[]) AS n(sku_code, on_hand, reserved)
        WHERE s.tenant_id = $1 AND s.sku_code = n.sku_code
        RETURNING s.sku_code, s.on_hand, s.reserved`,
      [
        this.tenantId,
        next.map(([sku]) => sku),
        next.map(([, level]) => level.onHand),
        next.map(([, level]) => level.reserved),
      ],
    );
    this.remember(rows, reason);
  }

  private remember(rows: StockRow[], reason: InventoryChangeReason): void {
    for (const row of rows) {
      this.levels.set(row.sku_code, { onHand: row.on_hand, reserved: row.reserved });
      // The first reason of the transaction names the change (an arrival that releases held
      // orders is an adjustment, not a reservation).
      if (!this.changes.has(row.sku_code)) this.changes.set(row.sku_code, reason);
    }
  }
}

/** TypeORM answers an UPDATE … RETURNING with `[rows, rowCount]`. */
async function updateReturning(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<StockRow[]> {
  const [rows] = await manager.query<[StockRow[], number]>(sql, params);
  return rows;
}

/** Code-point order, the same as `COLLATE "C"` in the lock query. */
function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
