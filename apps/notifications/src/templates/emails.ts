import type { NotificationLanguage, NotificationSeverity } from '@smartship/contracts';

import { formatJst } from './alert-messages';

/**
 * E-mails: a plain-text part and an HTML part with the same words. Every value that came from
 * outside (shop names, order numbers, file names, messages) is escaped in the HTML part.
 */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Lang = NotificationLanguage;

const WORDS: Record<
  Lang,
  {
    open: string;
    footer: string;
    severity: Record<NotificationSeverity, string>;
    digestSubject: (n: number) => string;
    digestIntro: string;
    repeated: (n: number) => string;
  }
> = {
  ko: {
    open: '스마트십에서 확인하기',
    footer:
      '이 메일은 스마트십 알림 설정에 따라 보내드렸습니다. 받는 알림은 콘솔의 알림 설정에서 바꿀 수 있습니다.',
    severity: { info: '안내', warning: '주의', critical: '긴급' },
    digestSubject: (n) => `[Smartship] 오늘의 알림 요약 (${n}건)`,
    digestIntro: '지난 요약 이후에 도착한 알림입니다.',
    repeated: (n) => `같은 알림 ${n}회 반복`,
  },
  ja: {
    open: 'Smartshipで確認する',
    footer:
      'このメールはSmartshipの通知設定に基づいてお送りしています。受け取る通知はコンソールの通知設定で変更できます。',
    severity: { info: 'お知らせ', warning: '注意', critical: '緊急' },
    digestSubject: (n) => `[Smartship] 本日の通知まとめ（${n}件）`,
    digestIntro: '前回のまとめ以降に届いた通知です。',
    repeated: (n) => `同じ通知が${n}回繰り返されました`,
  },
  en: {
    open: 'Open in Smartship',
    footer:
      'You receive this e-mail because of your Smartship notification settings; change them in the console.',
    severity: { info: 'Info', warning: 'Warning', critical: 'Critical' },
    digestSubject: (n) => `[Smartship] Daily summary (${n} ${n === 1 ? 'alert' : 'alerts'})`,
    digestIntro: 'Alerts since the last summary.',
    repeated: (n) => `repeated ${n} more ${n === 1 ? 'time' : 'times'}`,
  },
};

/** HTML-escapes text for element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function page(lang: Lang, body: string): string {
  return (
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head>` +
    `<body style="font-family:sans-serif;line-height:1.5;color:#222">${body}` +
    `<p style="color:#777;font-size:12px">${escapeHtml(WORDS[lang].footer)}</p></body></html>`
  );
}

/** One alert (or a test): the subject names the shop and the problem (the title does both). */
export function renderAlertEmail(input: {
  lang: Lang;
  severity: NotificationSeverity;
  title: string;
  message: string;
  url: string;
}): RenderedEmail {
  const words = WORDS[input.lang];
  const label = words.severity[input.severity];
  const subject = `[Smartship] [${label}] ${input.title}`;
  const text = `${input.title}\n\n${input.message}\n\n${words.open}: ${input.url}\n\n--\n${words.footer}\n`;
  const html = page(
    input.lang,
    `<h2>${escapeHtml(input.title)}</h2><p>${escapeHtml(input.message)}</p>` +
      `<p><a href="${escapeHtml(input.url)}">${escapeHtml(words.open)}</a></p>`,
  );
  return { subject, text, html };
}

export interface DigestItem {
  title: string;
  url: string;
  createdAt: string;
  suppressedRepeats: number;
}

/** The daily digest: every non-critical alert since the last one, oldest first. */
export function renderDigestEmail(lang: Lang, items: DigestItem[]): RenderedEmail {
  const words = WORDS[lang];
  const line = (item: DigestItem): string =>
    `${formatJst(item.createdAt, lang)} ${item.title}` +
    (item.suppressedRepeats > 0 ? ` (${words.repeated(item.suppressedRepeats)})` : '');
  const text =
    `${words.digestIntro}\n\n` +
    items.map((item) => `- ${line(item)}\n  ${item.url}`).join('\n') +
    `\n\n--\n${words.footer}\n`;
  const html = page(
    lang,
    `<p>${escapeHtml(words.digestIntro)}</p><ul>` +
      items
        .map((item) => `<li><a href="${escapeHtml(item.url)}">${escapeHtml(line(item))}</a></li>`)
        .join('') +
      '</ul>',
  );
  return { subject: words.digestSubject(items.length), text, html };
}
