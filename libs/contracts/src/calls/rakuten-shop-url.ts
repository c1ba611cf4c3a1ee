/** The form the setup guide asks for: https://www.rakuten.ne.jp/<shopId>. */
export const RAKUTEN_SHOP_URL_EXAMPLE = 'https://www.rakuten.ne.jp/abcd14231499';

/** A Rakuten shop ID as it appears in the shop URL: lowercase letters, digits and hyphens. */
export const RAKUTEN_SHOP_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const HOSTS = new Set(['www.rakuten.ne.jp', 'www.rakuten.co.jp']);

export type ShopUrlCheck =
  { ok: true; url: string; shopId: string } | { ok: false; problem: string };

/**
 * Checks a shop URL against the shop ID and returns it in the guide's form
 * (`https://www.rakuten.ne.jp/<shopId>`). The `www.rakuten.co.jp/<shopId>/` form that Rakuten
 * also serves is accepted and normalised; anything else is refused with what is expected.
 */
export function checkRakutenShopUrl(input: string, shopId: string): ShopUrlCheck {
  const expected = `must be https://www.rakuten.ne.jp/<shop ID>, e.g. ${RAKUTEN_SHOP_URL_EXAMPLE}`;
  const text = input.trim();
  if (text === '') return { ok: false, problem: `is empty: it ${expected}` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: `is not a URL: it ${expected}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: `has scheme ${url.protocol.replace(':', '')}: it ${expected}` };
  }
  if (!HOSTS.has(url.hostname.toLowerCase())) {
    return {
      ok: false,
      problem: `is on host ${url.hostname}, not www.rakuten.ne.jp: it ${expected}`,
    };
  }
  if (url.search || url.hash || url.username || url.password || url.port) {
    return { ok: false, problem: `has a query, fragment, port or credentials: it ${expected}` };
  }
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments.length !== 1) {
    return { ok: false, problem: `must name exactly one shop ID after the host: it ${expected}` };
  }
  const urlShopId = decodeURIComponent(segments[0]).toLowerCase();
  if (urlShopId !== shopId.trim().toLowerCase()) {
    return {
      ok: false,
      problem: `names shop "${urlShopId}" but the shop ID is "${shopId.trim()}": use https://www.rakuten.ne.jp/${shopId.trim().toLowerCase()}`,
    };
  }
  return { ok: true, url: `https://www.rakuten.ne.jp/${urlShopId}`, shopId: urlShopId };
}
