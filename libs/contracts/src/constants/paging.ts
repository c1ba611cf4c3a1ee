/**
 * Largest `offset` a list accepts. Pages that deep are for filters (search, shop, status), not
 * paging; the bound keeps every offset a plain integer the database takes (`1e21` is refused
 * with 400 naming `offset`, not a database error).
 */
export const MAX_PAGE_OFFSET = 1_000_000;
