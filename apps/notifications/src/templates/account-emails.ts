import type { AccountEmailKind, NotificationLanguage } from '@smartship/contracts';

import { formatJst } from './alert-messages';
import { type RenderedEmail, escapeHtml } from './emails';

type Lang = NotificationLanguage;

/**
 * The console page of each link. The token goes in the fragment (`#token=…`): browsers never
 * send a fragment to a server, so it stays out of access logs and Referer headers.
 */
export const ACCOUNT_LINK_PATHS: Record<AccountEmailKind, string> = {
  invitation: '/invitations/accept',
  password_reset: '/password-reset',
};

const ROLE: Record<Lang, Record<string, string>> = {
  ko: { owner: '소유자', admin: '관리자', staff: '담당자', viewer: '열람자' },
  ja: { owner: 'オーナー', admin: '管理者', staff: 'スタッフ', viewer: '閲覧者' },
  en: { owner: 'owner', admin: 'admin', staff: 'staff', viewer: 'viewer' },
};

interface Facts {
  tenantName: string | null;
  role: string | null;
  expiresAt: string;
  url: string;
}

type Words = { subject: string; lines: string[]; button: string };

const WORDS: Record<AccountEmailKind, Record<Lang, (f: Facts) => Words>> = {
  invitation: {
    ko: (f) => ({
      subject: `[Smartship] ${f.tenantName ?? '스마트십'}에 초대되었습니다`,
      lines: [
        `${f.tenantName ?? '스마트십'}에서 ${f.role ? `${ROLE.ko[f.role] ?? f.role}(으)로 ` : ''}함께 일하도록 초대했습니다.`,
        `아래 링크에서 비밀번호를 정하면 가입이 끝납니다. 링크는 ${formatJst(f.expiresAt, 'ko')}까지 한 번만 쓸 수 있습니다.`,
        '초대받을 일이 없다면 이 메일을 무시해 주세요.',
      ],
      button: '초대 수락하기',
    }),
    ja: (f) => ({
      subject: `[Smartship] ${f.tenantName ?? 'Smartship'}に招待されました`,
      lines: [
        `${f.tenantName ?? 'Smartship'}から${f.role ? `${ROLE.ja[f.role] ?? f.role}として` : ''}招待されました。`,
        `下のリンクでパスワードを設定すると登録が完了します。リンクは${formatJst(f.expiresAt, 'ja')}まで、一度だけ使えます。`,
        '心当たりがなければ、このメールは無視してください。',
      ],
      button: '招待を受ける',
    }),
    en: (f) => ({
      subject: `[Smartship] You are invited to ${f.tenantName ?? 'Smartship'}`,
      lines: [
        `${f.tenantName ?? 'A Smartship account'} invited you${f.role ? ` as ${ROLE.en[f.role] ?? f.role}` : ''}.`,
        `Choose a password through the link below to join. It works once, until ${formatJst(f.expiresAt, 'en')}.`,
        'If you did not expect this, ignore this e-mail.',
      ],
      button: 'Accept the invitation',
    }),
  },
  password_reset: {
    ko: (f) => ({
      subject: '[Smartship] 비밀번호 재설정',
      lines: [
        '비밀번호 재설정을 요청하셨습니다. 아래 링크에서 새 비밀번호를 정해 주세요.',
        `링크는 ${formatJst(f.expiresAt, 'ko')}까지 한 번만 쓸 수 있고, 재설정하면 모든 기기에서 로그아웃됩니다.`,
        '요청하지 않았다면 이 메일을 무시해 주세요. 비밀번호는 바뀌지 않습니다.',
      ],
      button: '비밀번호 재설정',
    }),
    ja: (f) => ({
      subject: '[Smartship] パスワードの再設定',
      lines: [
        'パスワードの再設定を受け付けました。下のリンクで新しいパスワードを設定してください。',
        `リンクは${formatJst(f.expiresAt, 'ja')}まで一度だけ使えます。再設定するとすべての端末からログアウトします。`,
        '心当たりがなければ、このメールは無視してください。パスワードは変わりません。',
      ],
      button: 'パスワードを再設定する',
    }),
    en: (f) => ({
      subject: '[Smartship] Reset your password',
      lines: [
        'Someone asked to reset the password of this account. Choose a new one through the link below.',
        `It works once, until ${formatJst(f.expiresAt, 'en')}; resetting signs you out everywhere.`,
        'If you did not ask for this, ignore this e-mail: your password stays as it is.',
      ],
      button: 'Reset the password',
    }),
  },
};

/** An invitation or reset e-mail in the reader's language, with the link (token in the fragment). */
export function renderAccountEmail(
  kind: AccountEmailKind,
  lang: Lang,
  consoleUrl: string,
  input: { token: string; expiresAt: string; tenantName?: string | null; role?: string | null },
): RenderedEmail {
  const url = `${consoleUrl.replace(/\/+$/, '')}${ACCOUNT_LINK_PATHS[kind]}#token=${encodeURIComponent(input.token)}`;
  const words = WORDS[kind][lang]({
    tenantName: input.tenantName ?? null,
    role: input.role ?? null,
    expiresAt: input.expiresAt,
    url,
  });
  const text = `${words.lines.join('\n\n')}\n\n${words.button}: ${url}\n`;
  const html =
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head>` +
    '<body style="font-family:sans-serif;line-height:1.5;color:#222">' +
    words.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('') +
    `<p><a href="${escapeHtml(url)}">${escapeHtml(words.button)}</a></p></body></html>`;
  return { subject: words.subject, text, html };
}
