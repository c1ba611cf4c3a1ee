import { ACCOUNT_EMAIL_KINDS, NOTIFICATION_LANGUAGES } from '@smartship/contracts';

import { renderAccountEmail } from './account-emails';

const TOKEN = `inv_${'a'.repeat(43)}`;

describe('account e-mails', () => {
  it.each(
    ACCOUNT_EMAIL_KINDS.flatMap((kind) =>
      NOTIFICATION_LANGUAGES.map((lang) => [kind, lang] as const),
    ),
  )('%s in %s carries the link with the token in the fragment', (kind, lang) => {
    const email = renderAccountEmail(kind, lang, 'https://console.example/', {
      token: TOKEN,
      expiresAt: '2026-03-01T10:00:00Z',
      tenantName: '<b>Kimchi</b> House',
      role: 'staff',
    });
    const path = kind === 'invitation' ? '/invitations/accept' : '/password-reset';
    expect(email.text).toContain(`https://console.example${path}#token=${TOKEN}`);
    expect(email.html).toContain(`href="https://console.example${path}#token=${TOKEN}"`);
    expect(email.html).not.toContain('<b>Kimchi</b>');
    expect(`${email.subject}${email.text}`).not.toMatch(/undefined|null|NaN/);
  });
});
