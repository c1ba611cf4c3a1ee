/**
 * The seller's SKUs for the Rakuten simulator's default items, as the setup guide links them
 * (Rakuten 판매 상품에 스마트십 SKU 연결하기): post-migration options by システム連携用SKU番号 or
 * linked variantId, single products by 商品番号, the pre-migration towel by 商品番号 + 横軸 + 縦軸
 * codes. Without it every simulator order would wait in the unmapped queue. Shared by the system
 * tests, the bench and the chaos run (plain data: Node runs those with type stripping).
 */
export const SIM_CATALOG = [
  {
    code: 'TEE-001',
    name: 'オーガニックコットン Tシャツ',
    options: ['S', 'M', 'L'].flatMap((size) =>
      ['BK', 'WH'].map((color) => ({
        code: `TEE001-${size}-${color}`,
        name: `${size} ${color}`,
        sellerCode: `TEE001-${size}-${color}`,
      })),
    ),
  },
  { code: 'MUG-002', name: '有田焼 マグカップ 300ml', sellerCode: 'mug-002' },
  {
    code: 'TOWEL-003',
    name: '今治タオル',
    options: ['wf', 'wb', 'bf', 'bb'].map((child) => ({
      code: `TOWEL-${child.toUpperCase()}`,
      name: child,
      sellerCode: `towel-003${child}`,
    })),
  },
  {
    code: 'SOCKS-004',
    name: 'ビジネスソックス 3足組',
    options: [
      { code: 'SOCKS-25', name: '25cm', sellerCode: 'SOCKS-25' },
      { code: 'SOCKS-27', name: '27cm', variantId: 'socks-004-27' },
    ],
  },
  { code: 'RICE-005', name: '新米 コシヒカリ 5kg', sellerCode: 'rice-005' },
];

/** The SKU codes that hold stock: every option, and the single products. */
export const SIM_STOCK_CODES = SIM_CATALOG.flatMap((sku) =>
  sku.options ? sku.options.map((option) => option.code) : [sku.code],
);
