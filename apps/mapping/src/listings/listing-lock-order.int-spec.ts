import { testInfrastructure } from '@smartship/testing';
import { Client } from 'pg';

import { compareListingKeys } from './listing.store';

/*
 * The JS side of the listing lock order against PostgreSQL's own ORDER BY … COLLATE "C" (the
 * inventory.changed side), on keys that differ in case, digits, Japanese and characters beyond
 * the BMP: the two must agree, or the two kinds of transaction deadlock again.
 */
const infra = testInfrastructure();

it('sorts listing keys exactly as PostgreSQL does with COLLATE "C"', async () => {
  const variants = [
    'x',
    'X',
    'item:10',
    'item:9',
    'サイズ:M',
    'サイズ:L',
    '\uFF5E',
    '\u{1F600}',
    'a b',
    'a-b',
  ];
  const keys = variants.flatMap((variantKey, i) => [
    { shopId: `shop-${i % 3}`, manageNumber: i % 2 ? 'Mug' : 'mug', variantKey },
    { shopId: `shop-${i % 3}`, manageNumber: 'マグ', variantKey },
  ]);
  const client = new Client({ connectionString: infra.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ i: number }>(
      `SELECT (t.i - 1)::int AS i FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(s, m, k, i)
        ORDER BY t.s COLLATE "C", t.m COLLATE "C", t.k COLLATE "C"`,
      [keys.map((k) => k.shopId), keys.map((k) => k.manageNumber), keys.map((k) => k.variantKey)],
    );
    expect(rows.map((row) => keys[row.i])).toEqual([...keys].sort(compareListingKeys));
  } finally {
    await client.end();
  }
});
