import type { NotificationSeverity } from '@smartship/contracts';
import { NOTIFICATION_KINDS } from '@smartship/contracts/constants';

import type { Lang, MessageKey } from './i18n/messages';
import { translate } from './i18n/messages';

/** The alert kinds a person can be notified of (shop and tenant alerts). */
export const ALERT_KINDS = NOTIFICATION_KINDS;
export type AlertKind = (typeof ALERT_KINDS)[number];

export function isAlertKind(kind: string): kind is AlertKind {
  return (ALERT_KINDS as readonly string[]).includes(kind);
}

/** A kind's name for people ("라이선스 키 만료 임박"); an unknown (newer) kind shows as sent. */
export function kindName(lang: Lang, kind: string): string {
  return isAlertKind(kind) ? translate(lang, `kind.${kind}`) : kind;
}

/** One line saying what the kind means and what to do (empty for an unknown kind). */
export function kindHelp(lang: Lang, kind: string): string {
  return isAlertKind(kind) ? translate(lang, `kind.${kind}.help`) : '';
}

const SEVERITY_KEYS: Record<NotificationSeverity, MessageKey> = {
  info: 'severity.info',
  warning: 'severity.warning',
  critical: 'severity.critical',
};

/** The severity badge: its word and the colour class the list uses. */
export function severityBadge(
  lang: Lang,
  severity: string,
): { text: string; tone: 'bad' | 'warn' | 'info' } {
  const known = severity === 'critical' || severity === 'warning' ? severity : 'info';
  return {
    text: translate(lang, SEVERITY_KEYS[known]),
    tone: known === 'critical' ? 'bad' : known === 'warning' ? 'warn' : 'info',
  };
}

/** The repeat window as the form shows it: whole hours in hours, anything else in minutes. */
export function splitWindow(minutes: number): { value: number; unit: 'minutes' | 'hours' } {
  return minutes >= 60 && minutes % 60 === 0
    ? { value: minutes / 60, unit: 'hours' }
    : { value: minutes, unit: 'minutes' };
}

/** The form's value and unit back to minutes (NaN when the value is not a number). */
export function joinWindow(value: string, unit: 'minutes' | 'hours'): number {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  return unit === 'hours' ? number * 60 : number;
}

/** "09:00" for 9: the digest hour, in Japan time. */
export function formatHour(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/**
 * The notification's link when it is a path inside the console ("/shops/…"); anything else
 * (another origin, `//host`, `javascript:`) is not followed.
 */
export function consolePath(link: string | null | undefined): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.includes('\\')) return null;
  return link;
}

const LOCALES: Record<Lang, string> = { ko: 'ko-KR', ja: 'ja-JP', en: 'en-GB' };

/** "3분 전" / "3分前" / "3 minutes ago": how long ago, in the largest unit that fits. */
export function timeAgo(lang: Lang, iso: string, now: Date = new Date()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(LOCALES[lang], { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}
