import {
  formatInventoryDateTime,
  INVENTORY_CODES,
  RMS_LIMITS,
  type InventoryVariant,
} from '@smartship/rakuten';

import { apiErrors, json, noContent, type SimResponse } from './sim-http';
import type { SimShop, SimStock } from './sim-state';
import { stockKey, type SimStore } from './sim-store';

/*
 * Inventory API 2.0 / 2.1 (docs/rakuten-rms.md §5.1): 204 on writes, `errors[]` with IE/GE codes,
 * manageNumber lowercased, variantId case-sensitive, unknown SKUs accepted as invisible orphans,
 * `+09:00` timestamps. And the Item API 2.0 parts an OMS needs (§5.2).
 */

type ApiError = { code: string; message: string; propertyPath?: string };

const KEY_CHARS = /^[a-zA-Z0-9_-]+$/;

function keyErrors(manageNumber: unknown, variantId: unknown, prefix: string): ApiError[] {
  const errors: ApiError[] = [];
  for (const [name, value] of [
    ['manageNumber', manageNumber],
    ['variantId', variantId],
  ] as const) {
    const path = `${prefix}${name}`;
    if (typeof value !== 'string' || value === '') {
      errors.push({
        code: INVENTORY_CODES.INVALID_VALUE,
        message: `${name} must not be empty.`,
        propertyPath: path,
      });
    } else if (Buffer.byteLength(value) > 32) {
      errors.push({
        code: INVENTORY_CODES.LENGTH,
        message: `Max length of ${name} must be within 32 bytes.`,
        propertyPath: path,
      });
    } else if (!KEY_CHARS.test(value)) {
      errors.push({
        code: INVENTORY_CODES.INVALID_VALUE,
        message: `${name} has an invalid value : ${value}.`,
        propertyPath: path,
      });
    }
  }
  return errors;
}

function quantityErrors(
  mode: unknown,
  quantity: unknown,
  existing: SimStock | undefined,
  prefix: string,
): ApiError[] {
  if (mode !== 'ABSOLUTE' && mode !== 'RELATIVE') {
    return [
      {
        code: INVENTORY_CODES.INVALID_VALUE,
        message: `mode has an invalid value : ${String(mode)}.`,
        propertyPath: `${prefix}mode`,
      },
    ];
  }
  if (typeof quantity !== 'number' || !Number.isInteger(quantity)) {
    return [
      {
        code: INVENTORY_CODES.INVALID_VALUE,
        message: `quantity has an invalid value : ${String(quantity)}.`,
        propertyPath: `${prefix}quantity`,
      },
    ];
  }
  // A new registration must use ABSOLUTE (S6, S7); the exact error code is [NF].
  if (mode === 'RELATIVE' && !existing) {
    return [
      {
        code: INVENTORY_CODES.INVALID_VALUE,
        message: 'mode must be ABSOLUTE for a new registration.',
        propertyPath: `${prefix}mode`,
      },
    ];
  }
  const result = mode === 'ABSOLUTE' ? quantity : (existing?.quantity ?? 0) + quantity;
  if (result < 0 || result > RMS_LIMITS.inventoryMaxQuantity) {
    return [
      {
        code: INVENTORY_CODES.OUT_OF_RANGE,
        message: 'quantity must be between 0 and 99999.',
        propertyPath: `${prefix}quantity`,
      },
    ];
  }
  return [];
}

function render(row: SimStock, v21: boolean): InventoryVariant {
  const out: InventoryVariant = {
    manageNumber: row.manageNumber,
    variantId: row.variantId,
    quantity: row.quantity,
    created: formatInventoryDateTime(new Date(row.created)),
    updated: formatInventoryDateTime(new Date(row.updated)),
  };
  if (v21) {
    out.operationLeadTime = row.operationLeadTime;
    out.shipFromIds = row.shipFromIds;
  }
  return out;
}

function visible(shop: SimShop, manageNumber: string, variantId: string): SimStock | undefined {
  const row = shop.stock.get(stockKey(manageNumber, variantId));
  return row && !row.orphan ? row : undefined;
}

function notFound(manageNumber: string, variantId: string): SimResponse {
  return apiErrors(404, [
    {
      code: INVENTORY_CODES.NOT_FOUND,
      message: `Not found for inputs; manageNumber=${manageNumber}, variantId=${variantId}`,
    },
  ]);
}

function upsert(
  store: SimStore,
  shop: SimShop,
  manageNumber: string,
  variantId: string,
  body: Record<string, unknown>,
  v21: boolean,
): void {
  const key = stockKey(manageNumber, variantId);
  const existing = shop.stock.get(key);
  const now = store.now();
  const quantity =
    body.mode === 'ABSOLUTE'
      ? Number(body.quantity)
      : (existing?.quantity ?? 0) + Number(body.quantity);
  const row: SimStock = existing ?? {
    manageNumber,
    variantId,
    quantity,
    created: now,
    updated: now,
    operationLeadTime: null,
    shipFromIds: null,
    orphan: !store.isKnownSku(shop, manageNumber, variantId),
  };
  row.quantity = quantity;
  row.updated = now;
  if (v21) {
    // 2.1 upsert is a full replace: what is not sent is cleared (S6).
    row.operationLeadTime = (body.operationLeadTime as SimStock['operationLeadTime']) ?? null;
    row.shipFromIds = (body.shipFromIds as number[]) ?? null;
  }
  shop.stock.set(key, row);
}

export function variantGet(
  store: SimStore,
  shop: SimShop,
  mn: string,
  variantId: string,
  v21: boolean,
): SimResponse {
  const errors = keyErrors(mn, variantId, '');
  if (errors.length > 0) return apiErrors(400, errors);
  const manageNumber = mn.toLowerCase();
  store.purgeOrphans(shop);
  const row = visible(shop, manageNumber, variantId);
  return row ? json(200, render(row, v21)) : notFound(manageNumber, variantId);
}

export function variantUpsert(
  store: SimStore,
  shop: SimShop,
  mn: string,
  variantId: string,
  body: unknown,
  v21: boolean,
): SimResponse {
  const errors = keyErrors(mn, variantId, '');
  const manageNumber = mn.toLowerCase();
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  errors.push(
    ...quantityErrors(
      fields.mode,
      fields.quantity,
      shop.stock.get(stockKey(manageNumber, variantId)),
      '',
    ),
  );
  if (errors.length > 0) return apiErrors(400, errors);
  upsert(store, shop, manageNumber, variantId, fields, v21);
  return noContent();
}

export function variantDelete(
  store: SimStore,
  shop: SimShop,
  mn: string,
  variantId: string,
): SimResponse {
  const errors = keyErrors(mn, variantId, '');
  if (errors.length > 0) return apiErrors(400, errors);
  const manageNumber = mn.toLowerCase();
  if (!visible(shop, manageNumber, variantId)) return notFound(manageNumber, variantId);
  shop.stock.delete(stockKey(manageNumber, variantId));
  return noContent();
}

function inventoriesOf(
  body: unknown,
  max: number,
): { list: Record<string, unknown>[] } | SimResponse {
  const list =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>).inventories
      : undefined;
  if (!Array.isArray(list) || list.length < 1 || list.length > max) {
    return apiErrors(400, [
      {
        code: INVENTORY_CODES.OUT_OF_RANGE,
        message: `inventories size must be between 1 and ${max}.`,
        propertyPath: 'inventories',
      },
    ]);
  }
  return { list: list as Record<string, unknown>[] };
}

export function bulkGet(store: SimStore, shop: SimShop, body: unknown, v21: boolean): SimResponse {
  const parsed = inventoriesOf(body, RMS_LIMITS.inventoryBulkGetBatch);
  if ('status' in parsed) return parsed;
  const errors = parsed.list.flatMap((key, i) =>
    keyErrors(key.manageNumber, key.variantId, `inventories[${i}].`),
  );
  if (errors.length > 0) return apiErrors(400, errors);
  store.purgeOrphans(shop);
  const rows = parsed.list
    .map((key) => visible(shop, String(key.manageNumber).toLowerCase(), String(key.variantId)))
    .filter((row): row is SimStock => !!row)
    .map((row) => render(row, v21));
  return json(200, { inventories: rows });
}

export function bulkGetRange(
  store: SimStore,
  shop: SimShop,
  query: URLSearchParams,
  v21: boolean,
): SimResponse {
  const bound = (name: string): number | null | ApiError => {
    const value = query.get(name);
    if (value === null || value === '') return null;
    const n = Number(value);
    if (!/^\d+$/.test(value))
      return {
        code: INVENTORY_CODES.INVALID_VALUE,
        message: `${name} has an invalid value : ${value}.`,
        propertyPath: name,
      };
    if (n > RMS_LIMITS.inventoryMaxQuantity)
      return {
        code: INVENTORY_CODES.OUT_OF_RANGE,
        message: `${name} must be between 0 and 99999.`,
        propertyPath: name,
      };
    return n;
  };
  const min = bound('minQuantity');
  const max = bound('maxQuantity');
  const errors = [min, max].filter((b): b is ApiError => typeof b === 'object' && b !== null);
  if (errors.length > 0) return apiErrors(400, errors);
  if (min === null && max === null) {
    return apiErrors(400, [
      { code: INVENTORY_CODES.INVALID_VALUE, message: 'minQuantity or maxQuantity is required.' },
    ]);
  }
  store.purgeOrphans(shop);
  const rows = [...shop.stock.values()].filter(
    (row) =>
      !row.orphan &&
      (min === null || row.quantity >= (min as number)) &&
      (max === null || row.quantity <= (max as number)),
  );
  // More than 1000 matches is an error, not a truncation (S7: IE0116, [L]).
  if (rows.length > RMS_LIMITS.inventoryBulkGetBatch) {
    return apiErrors(400, [{ code: 'IE0116', message: 'Too many search results.' }]);
  }
  rows.sort((a, b) => b.updated - a.updated);
  return json(200, { inventories: rows.map((row) => render(row, v21)) });
}

export function bulkUpsert(
  store: SimStore,
  shop: SimShop,
  body: unknown,
  v21: boolean,
): SimResponse {
  const parsed = inventoriesOf(body, RMS_LIMITS.inventoryBulkUpsertBatch);
  if ('status' in parsed) return parsed;
  // Every row is checked before any is written: all or nothing ([NF]; the safer reading).
  const errors = parsed.list.flatMap((row, i) => {
    const prefix = `inventories[${i}].`;
    const keyProblems = keyErrors(row.manageNumber, row.variantId, prefix);
    if (keyProblems.length > 0) return keyProblems;
    const existing = shop.stock.get(
      stockKey(String(row.manageNumber).toLowerCase(), String(row.variantId)),
    );
    return quantityErrors(row.mode, row.quantity, existing, prefix);
  });
  if (errors.length > 0) return apiErrors(400, errors);
  for (const row of parsed.list) {
    upsert(store, shop, String(row.manageNumber).toLowerCase(), String(row.variantId), row, v21);
  }
  return noContent();
}

// Item API 2.0: see item-api.ts.
