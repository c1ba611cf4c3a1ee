import { Injectable } from '@nestjs/common';
import type { EventOf } from '@smartship/contracts';
import type { HandlerContext } from '@smartship/messaging';
import { MessagingRuntime } from '@smartship/service-kit';

import { CatalogCache } from '../matching/catalog-cache';
import { suggestListing } from './listing-suggestions';
import { compareListingKeys } from './listing.store';

interface ImportedRow {
  manageNumber: string;
  variantKey: string;
  variantId: string;
  merchantDefinedSkuId: string | null;
  itemNumber: string;
  title: string;
  selectorText: string;
  hidden: boolean;
  suggestion: string | null;
  suggestedBy: string | null;
}

/**
 * Consumer group `mapping.listings-imported`: a page of a shop's Rakuten listings (from the
 * listings import in ingestion) upserts `mapping.listings` — one statement, rows in the listing
 * lock order (listings.service.ts) — and stores a suggested link for every listing not linked
 * yet. Links are never made here: a seller accepts suggestions (POST /listings/links), and only
 * linked listings get stock pushed. Idempotent: the inbox drops a redelivered event, and applying
 * a page again (a later run) writes the same values.
 */
@Injectable()
export class ListingsImportedConsumer {
  constructor(
    messaging: MessagingRuntime,
    private readonly catalogs: CatalogCache,
  ) {
    messaging.registerConsumer({
      groupId: 'mapping.listings-imported',
      handlers: { 'listings.imported': (event, context) => this.apply(event, context) },
    });
  }

  async apply(event: EventOf<'listings.imported'>, { manager }: HandlerContext): Promise<void> {
    if (event.data.marketplace !== 'rakuten' || event.data.items.length === 0) return;
    const index = await this.catalogs.forMapping(manager, event.tenantId);
    const rows: ImportedRow[] = [];
    for (const item of event.data.items) {
      for (const variant of item.variants) {
        const suggestion = suggestListing(index, item, variant);
        rows.push({
          manageNumber: item.manageNumber.toLowerCase(),
          variantKey: variant.variantId,
          variantId: variant.variantId,
          merchantDefinedSkuId: variant.merchantDefinedSkuId,
          itemNumber: item.itemNumber,
          title: item.title,
          selectorText: variant.selectorText,
          hidden: item.hidden || variant.hidden,
          suggestion: suggestion ? JSON.stringify(suggestion.links) : null,
          suggestedBy: suggestion?.by ?? null,
        });
      }
    }
    const unique = new Map(rows.map((r) => [`${r.manageNumber}\u0000${r.variantKey}`, r]));
    const sorted = [...unique.values()].sort((a, b) =>
      compareListingKeys({ shopId: '', ...a }, { shopId: '', ...b }),
    );
    const column = <K extends keyof ImportedRow>(key: K) => sorted.map((r) => r[key]);
    await manager.query(
      `INSERT INTO mapping.listings AS l (shop_id, tenant_id, manage_number, variant_key,
              variant_id, merchant_defined_sku_id, item_number, item_name, title, selector_text,
              hidden, suggested_links, suggested_by, imported_at, import_id, seen_on_order)
       SELECT $1, $2, t.m, t.k, t.v, t.d, t.n, t.ti, t.ti, t.sel, t.h, t.sug::jsonb, t.sb,
              $3::timestamptz, $4::uuid, false
         FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                     $11::text[], $12::boolean[], $13::text[], $14::text[])
              AS t(m, k, v, d, n, ti, sel, h, sug, sb)
       ON CONFLICT (shop_id, manage_number, variant_key) DO UPDATE SET
         variant_id = EXCLUDED.variant_id,
         merchant_defined_sku_id = EXCLUDED.merchant_defined_sku_id,
         item_number = EXCLUDED.item_number,
         title = EXCLUDED.title,
         selector_text = EXCLUDED.selector_text,
         hidden = EXCLUDED.hidden,
         suggested_links = CASE WHEN l.sku_links IS NULL THEN EXCLUDED.suggested_links END,
         suggested_by = CASE WHEN l.sku_links IS NULL THEN EXCLUDED.suggested_by END,
         imported_at = EXCLUDED.imported_at,
         import_id = EXCLUDED.import_id,
         updated_at = now()`,
      [
        event.shopId,
        event.tenantId,
        event.data.readAt,
        event.data.importId,
        column('manageNumber'),
        column('variantKey'),
        column('variantId'),
        column('merchantDefinedSkuId'),
        column('itemNumber'),
        column('title'),
        column('selectorText'),
        column('hidden'),
        column('suggestion'),
        column('suggestedBy'),
      ],
    );
  }
}
