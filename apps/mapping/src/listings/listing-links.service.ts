import { Controller, Injectable, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  createEvent,
  LinkListingsCall,
  type LinkListingsResultView,
  ListListingsCall,
  LISTINGS_CALLS,
  type ListingsPageView,
  type ListingState,
  type ListingView,
} from '@smartship/contracts';
import {
  MessagingRuntime,
  ServiceCallFilter,
  ServiceError,
  parseCall,
} from '@smartship/service-kit';
import { DataSource, type EntityManager } from 'typeorm';

import { MappingError } from '../catalog/mapping.errors';
import { CatalogCache } from '../matching/catalog-cache';
import { perUnit } from '../matching/catalog-index';
import { compareListingKeys } from './listing.store';
import { listingQuantity } from './listings.service';

/** Listings one request can accept with `acceptAllSuggested` (the rest stay suggested). */
const ACCEPT_ALL_MAX = 5_000;

class ListingsError extends ServiceError {
  constructor(
    code: 'LISTING_NOT_FOUND' | 'NO_SUGGESTION',
    message: string,
    readonly statusCode = code === 'LISTING_NOT_FOUND' ? 404 : 409,
  ) {
    super(code, message);
  }
}

/** The state a listing shows: linked > hidden > suggested > unlinked. */
const STATE_SQL = `CASE WHEN l.sku_links IS NOT NULL THEN 'linked'
  WHEN l.hidden THEN 'hidden'
  WHEN l.suggested_links IS NOT NULL THEN 'suggested' ELSE 'unlinked' END`;

interface ListingRow {
  shop_id: string;
  manage_number: string;
  variant_key: string;
  variant_id: string | null;
  item_number: string;
  item_name: string;
  title: string | null;
  selector_text: string | null;
  merchant_defined_sku_id: string | null;
  state: ListingState;
  sku_links: { skuCode: string; perUnit: number }[] | null;
  matched_by: string | null;
  suggested_links: { skuCode: string; perUnit: number }[] | null;
  suggested_by: string | null;
  imported_at: Date | null;
  seen_on_order: boolean;
  last_quantity: number | null;
  updated_at: Date;
}

/**
 * The listings page and link acceptance (issue 18). Linking a listing (to its suggestion or to a
 * SKU code) stores its SKU links and publishes `listing.stock.changed` with the quantity its SKUs
 * allow, in the same transaction — as inventory.changed does for linked listings — so ingestion
 * pushes its stock to Rakuten. Rows are locked in the listing lock order (listings.service.ts),
 * after the tenant's catalog lock (shared), as order mapping takes them.
 */
@Injectable()
export class ListingLinksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalogs: CatalogCache,
    private readonly messaging: MessagingRuntime,
  ) {}

  async list(call: ListListingsCall): Promise<ListingsPageView> {
    const limit = call.limit ?? 50;
    const params: unknown[] = [call.actor.tenantId];
    const where = ['l.tenant_id = $1'];
    if (call.shopId) {
      params.push(call.shopId);
      where.push(`l.shop_id = $${params.length}`);
    }
    if (call.state) {
      params.push(call.state);
      where.push(`(${STATE_SQL}) = $${params.length}`);
    }
    if (call.search) {
      params.push(`%${call.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const p = `$${params.length}`;
      where.push(
        `(l.manage_number ILIKE ${p} OR l.item_number ILIKE ${p} OR l.variant_key ILIKE ${p}
          OR l.merchant_defined_sku_id ILIKE ${p} OR l.item_name ILIKE ${p} OR l.title ILIKE ${p})`,
      );
    }
    if (call.cursor) {
      const after = decodeCursor(call.cursor);
      if (!after) {
        throw MappingError.invalid([
          { field: 'cursor', problems: ['cursor must be a nextCursor of a previous page'] },
        ]);
      }
      params.push(...after);
      const n = params.length;
      where.push(`(l.shop_id, l.manage_number, l.variant_key) > ($${n - 2}, $${n - 1}, $${n})`);
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query<ListingRow[]>(
      `SELECT l.*, ${STATE_SQL} AS state FROM mapping.listings l
        WHERE ${where.join(' AND ')}
        ORDER BY l.shop_id, l.manage_number, l.variant_key
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toView),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor([last.shop_id, last.manage_number, last.variant_key])
          : null,
    };
  }

  async link(call: LinkListingsCall): Promise<LinkListingsResultView> {
    const tenantId = call.actor.tenantId;
    const inputs = call.body.links ?? [];
    if (inputs.length === 0 && !call.body.acceptAllSuggested) {
      throw MappingError.invalid([
        { field: 'links', problems: ['give links, acceptAllSuggested, or both'] },
      ]);
    }
    return this.dataSource.transaction(async (manager) => {
      const index = await this.catalogs.forMapping(manager, tenantId);
      const wanted = new Map<
        string,
        {
          shopId: string;
          manageNumber: string;
          variantKey: string;
          skuCode?: string;
          field: string;
        }
      >();
      inputs.forEach((input, i) => {
        const manageNumber = input.manageNumber.toLowerCase();
        wanted.set(`${input.shopId}\u0000${manageNumber}\u0000${input.variantId}`, {
          shopId: input.shopId,
          manageNumber,
          variantKey: input.variantId,
          skuCode: input.skuCode,
          field: `links.${i}`,
        });
      });
      if (call.body.acceptAllSuggested) {
        const suggested = await manager.query<{ manage_number: string; variant_key: string }[]>(
          `SELECT manage_number, variant_key FROM mapping.listings
            WHERE tenant_id = $1 AND shop_id = $2 AND sku_links IS NULL
              AND suggested_links IS NOT NULL AND NOT hidden
            ORDER BY manage_number, variant_key LIMIT $3`,
          [tenantId, call.body.acceptAllSuggested, ACCEPT_ALL_MAX],
        );
        for (const row of suggested) {
          const key = `${call.body.acceptAllSuggested}\u0000${row.manage_number}\u0000${row.variant_key}`;
          if (!wanted.has(key)) {
            wanted.set(key, {
              shopId: call.body.acceptAllSuggested,
              manageNumber: row.manage_number,
              variantKey: row.variant_key,
              field: 'acceptAllSuggested',
            });
          }
        }
      }
      // Codes first: a bad one refuses the request before anything is locked or written.
      const problems = [...wanted.values()]
        .filter((w) => w.skuCode !== undefined && !index.byCode.has(w.skuCode))
        .map((w) => ({
          field: `${w.field}.skuCode`,
          problems: [`no single SKU, bundle or option has the code ${w.skuCode}`],
        }));
      if (problems.length > 0) throw MappingError.invalid(problems);
      const targets = [...wanted.values()].sort((a, b) => compareListingKeys(a, b));
      if (targets.length === 0) return { linked: 0, stockPushed: 0 };
      const locked = await manager.query<ListingRow[]>(
        `SELECT l.* FROM mapping.listings l
           JOIN unnest($2::text[], $3::text[], $4::text[]) AS k(s, m, v)
             ON l.shop_id = k.s AND l.manage_number = k.m AND l.variant_key = k.v
          WHERE l.tenant_id = $1
          ORDER BY l.shop_id COLLATE "C", l.manage_number COLLATE "C", l.variant_key COLLATE "C"
          FOR UPDATE OF l`,
        [
          tenantId,
          targets.map((t) => t.shopId),
          targets.map((t) => t.manageNumber),
          targets.map((t) => t.variantKey),
        ],
      );
      const byKey = new Map(
        locked.map((r) => [`${r.shop_id}\u0000${r.manage_number}\u0000${r.variant_key}`, r]),
      );
      const updates: {
        row: ListingRow;
        links: { skuCode: string; perUnit: number }[];
        by: string;
      }[] = [];
      for (const target of targets) {
        const row = byKey.get(
          `${target.shopId}\u0000${target.manageNumber}\u0000${target.variantKey}`,
        );
        if (!row) {
          // Another tenant's listing is "not found" too.
          throw new ListingsError(
            'LISTING_NOT_FOUND',
            `${target.field}: no listing ${target.manageNumber} / ${target.variantKey} in this shop`,
          );
        }
        if (target.skuCode !== undefined) {
          const sellable = index.byCode.get(target.skuCode);
          if (sellable) updates.push({ row, links: perUnit(sellable), by: 'manual' });
        } else if (row.suggested_links) {
          updates.push({ row, links: row.suggested_links, by: `suggestion:${row.suggested_by}` });
        } else if (!row.sku_links) {
          throw new ListingsError(
            'NO_SUGGESTION',
            `${target.field}: listing ${target.manageNumber} / ${target.variantKey} has no suggestion; give a skuCode`,
          );
        }
      }
      const stockPushed = await this.applyLinks(manager, tenantId, updates);
      return { linked: updates.length, stockPushed };
    });
  }

  /** Stores the links and publishes each listing's quantity (one event per listing with a variantId). */
  private async applyLinks(
    manager: EntityManager,
    tenantId: string,
    updates: { row: ListingRow; links: { skuCode: string; perUnit: number }[]; by: string }[],
  ): Promise<number> {
    if (updates.length === 0) return 0;
    const codes = [...new Set(updates.flatMap((u) => u.links.map((l) => l.skuCode)))];
    const stock = new Map<string, number>(
      (
        await manager.query<{ sku_code: string; available: number }[]>(
          `SELECT sku_code, available FROM mapping.sku_stock
            WHERE tenant_id = $1 AND sku_code = ANY($2::text[])`,
          [tenantId, codes],
        )
      ).map((r) => [r.sku_code, r.available]),
    );
    const quantities = updates.map((u) =>
      listingQuantity(
        u.links.map((l) => ({ available: stock.get(l.skuCode) ?? 0, perUnit: l.perUnit })),
      ),
    );
    await manager.query(
      `UPDATE mapping.listings l SET sku_links = t.links::jsonb, matched_by = t.by,
              suggested_links = NULL, suggested_by = NULL, last_quantity = t.q, updated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
              AS t(s, m, v, links, by, q)
        WHERE l.shop_id = t.s AND l.manage_number = t.m AND l.variant_key = t.v`,
      [
        updates.map((u) => u.row.shop_id),
        updates.map((u) => u.row.manage_number),
        updates.map((u) => u.row.variant_key),
        updates.map((u) => JSON.stringify(u.links)),
        updates.map((u) => u.by),
        quantities,
      ],
    );
    const events = updates.flatMap((u, i) =>
      u.row.variant_id
        ? [
            createEvent('listing.stock.changed', {
              tenantId,
              shopId: u.row.shop_id,
              data: {
                marketplace: 'rakuten',
                manageNumber: u.row.manage_number,
                variantId: u.row.variant_id,
                quantity: quantities[i],
                derivedFrom: u.links.map((l) => ({
                  skuCode: l.skuCode,
                  available: stock.get(l.skuCode) ?? 0,
                  perUnit: l.perUnit,
                })),
              },
            }),
          ]
        : [],
    );
    if (events.length > 0) await this.messaging.outbox.add(manager, events);
    return events.length;
  }
}

function toView(row: ListingRow): ListingView {
  return {
    shopId: row.shop_id,
    manageNumber: row.manage_number,
    variantKey: row.variant_key,
    variantId: row.variant_id,
    itemNumber: row.item_number,
    title: row.title ?? row.item_name,
    selectorText: row.selector_text,
    merchantDefinedSkuId: row.merchant_defined_sku_id,
    state: row.state,
    links: row.sku_links,
    matchedBy: row.matched_by,
    suggestion:
      row.suggested_links && !row.sku_links
        ? { links: row.suggested_links, by: row.suggested_by ?? '' }
        : null,
    source: row.imported_at ? (row.seen_on_order ? 'both' : 'import') : 'order',
    lastQuantity: row.last_quantity,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function encodeCursor(key: [string, string, string]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(text: string): [string, string, string] | null {
  try {
    const key = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(key) && key.length === 3 && key.every((k) => typeof k === 'string')
      ? (key as [string, string, string])
      : null;
  } catch {
    return null;
  }
}

@Controller()
@UseFilters(ServiceCallFilter)
export class ListingLinksController {
  constructor(private readonly listings: ListingLinksService) {}

  @MessagePattern(LISTINGS_CALLS.list)
  list(@Payload() payload: unknown) {
    return this.listings.list(parseCall(ListListingsCall, payload));
  }

  @MessagePattern(LISTINGS_CALLS.link)
  link(@Payload() payload: unknown) {
    return this.listings.link(parseCall(LinkListingsCall, payload));
  }
}
