import type { ShopStatus, ShopView } from '@smartship/contracts';

import { translate } from './i18n/messages';
import type { Lang, MessageKey } from './i18n/messages';

/** How a shop's status reads in the list, and which colour class it takes. */
export interface StatusLabel {
  text: string;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
  /** What the seller should do, when something is needed. */
  hint: string | null;
}

const TONES: Record<ShopStatus, StatusLabel['tone']> = {
  active: 'ok',
  expiring_soon: 'warn',
  expired: 'bad',
  needs_reauth: 'bad',
  disabled: 'muted',
  suspended: 'bad',
  deleted: 'muted',
};

const HINTS: Partial<Record<ShopStatus, MessageKey>> = {
  expiring_soon: 'status.hint.expiring_soon',
  expired: 'status.hint.expired',
  needs_reauth: 'status.hint.needs_reauth',
};

/** "키 만료 5일 전" for a key expiring in 5 days; the other statuses by name. */
export function shopStatusLabel(
  lang: Lang,
  shop: Pick<ShopView, 'status' | 'licenseKeyDaysLeft'>,
): StatusLabel {
  const hint = HINTS[shop.status];
  let text: string;
  if (shop.status === 'expiring_soon') {
    const days = Math.max(0, Math.floor(shop.licenseKeyDaysLeft));
    text =
      days === 0
        ? translate(lang, 'status.expiring_today')
        : translate(lang, 'status.expiring_soon', { days });
  } else {
    text = translate(lang, `status.${shop.status}`);
  }
  return { text, tone: TONES[shop.status], hint: hint ? translate(lang, hint) : null };
}

const LOCALES: Record<Lang, string> = { ko: 'ko-KR', ja: 'ja-JP', en: 'en-GB' };

/** A time as people read it in the chosen language, in Japan time (the shop's time zone). */
export function formatTime(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Tokyo',
  }).format(date);
}

export function formatDate(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'medium',
    timeZone: 'Asia/Tokyo',
  }).format(date);
}

/** Today in Japan (YYYY-MM-DD): the default shipping date Rakuten expects. */
export function todayInJapan(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Tracking numbers as typed: one per line or separated by commas, spaces around removed. */
export function parseTrackingNumbers(text: string): string[] {
  return text
    .split(/[\n,、，]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
