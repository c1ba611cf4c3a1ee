import type { Page } from 'playwright-core';

// The local mail catcher is a tool script (npm start runs it), not a library.
// eslint-disable-next-line @nx/enforce-module-boundaries
import type { CaughtMail, MailCatcher } from '../../../tools/scripts/mail-catcher';

/**
 * People in the browser tests: the operator invites, the link comes from the mail catcher as a
 * person would read it, and the console's pages accept it and sign in (Korean, the default).
 */

/** A password the gateway's policy accepts (long, not common, not the e-mail). */
export const PASSWORD = 'a long passphrase for the console 2026';

/** The link an invitation or reset e-mail carries (`…#token=…`). */
export function linkIn(mail: CaughtMail): string {
  const match = /https?:\/\/\S+#token=[A-Za-z0-9_%-]+/.exec(mail.text);
  if (!match) throw new Error(`no link in the e-mail "${mail.subject}"`);
  return match[0];
}

/** Waits for the newest e-mail to `email` whose subject matches, and answers its link. */
export async function linkMailedTo(
  mail: MailCatcher,
  email: string,
  subject: RegExp,
): Promise<string> {
  const caught = await mail.waitFor(
    (message) =>
      message.to.some((to) => to.toLowerCase() === email.toLowerCase()) &&
      subject.test(message.subject),
    60_000,
  );
  return linkIn(caught);
}

/** Opens an invitation link, sets the password twice and waits until the console shows. */
export async function acceptInvitation(page: Page, link: string, password = PASSWORD) {
  await page.goto(link);
  await page.getByRole('heading', { name: '초대 수락' }).waitFor();
  await page.locator('input[name=password]').fill(password);
  await page.locator('input[name=passwordAgain]').fill(password);
  await page.getByRole('button', { name: '비밀번호 정하고 시작하기' }).click();
  await page.getByRole('heading', { name: '쇼핑몰 API 설정' }).waitFor();
}

/** Signs in on the sign-in page with e-mail and password. */
export async function signIn(page: Page, gateway: string, email: string, password = PASSWORD) {
  await page.goto(`${gateway}/`);
  await page.getByRole('heading', { name: '스마트십 콘솔 로그인' }).waitFor();
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '로그인' }).click();
}

/** A call from inside the page, with the browser's session cookie and its CSRF token. */
export async function callAsPage(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: { code?: string } | null }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await fetch('/api/v1/session', { credentials: 'same-origin' });
      const csrf = session.ok ? ((await session.json()) as { csrfToken: string }).csrfToken : '';
      const answer = await fetch(`/api/v1${path}`, {
        method,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.text();
      return { status: answer.status, body: text ? (JSON.parse(text) as { code?: string }) : null };
    },
    { method, path, body },
  );
}
