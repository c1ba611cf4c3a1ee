import { createHash } from 'node:crypto';

import { INVITATION_TOKEN, RESET_TOKEN, SESSION_TOKEN, hashSecret, newSecret } from './link-tokens';

describe('link and session secrets', () => {
  it('carry 256 random bits behind their prefix, different every time', () => {
    for (const [kind, pattern] of [
      ['inv', INVITATION_TOKEN],
      ['pwr', RESET_TOKEN],
      ['ses', SESSION_TOKEN],
    ] as const) {
      const secrets = new Set(Array.from({ length: 50 }, () => newSecret(kind)));
      expect(secrets.size).toBe(50);
      for (const secret of secrets) {
        expect(secret).toMatch(pattern);
        expect(Buffer.from(secret.slice(4), 'base64url')).toHaveLength(32);
      }
    }
  });

  it('are stored as the lowercase hex SHA-256 of the whole string, never as given', () => {
    const secret = newSecret('inv');
    expect(hashSecret(secret)).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(secret)).not.toContain(secret.slice(4));
  });

  it('one kind is never taken for another', () => {
    expect(newSecret('inv')).not.toMatch(RESET_TOKEN);
    expect(newSecret('pwr')).not.toMatch(INVITATION_TOKEN);
    expect(newSecret('ses')).not.toMatch(INVITATION_TOKEN);
  });
});
