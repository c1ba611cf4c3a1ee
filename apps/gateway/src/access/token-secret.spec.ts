import { createHash } from 'node:crypto';

import {
  TENANT_TOKEN,
  bearerToken,
  generateToken,
  hashToken,
  isOperatorToken,
} from './token-secret';

describe('token secrets', () => {
  it('a new token is sst_ + 32 random bytes in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, generateToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token).toMatch(TENANT_TOKEN);
      expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    }
  });

  it('the stored hash is the lowercase hex SHA-256 of the whole token', () => {
    const token = generateToken();
    expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the operator token matches only exactly, whatever the lengths', () => {
    const operator = 'o'.repeat(40);
    expect(isOperatorToken(operator, operator)).toBe(true);
    expect(isOperatorToken(`${operator}o`, operator)).toBe(false);
    expect(isOperatorToken(operator.slice(1), operator)).toBe(false);
    expect(isOperatorToken('', operator)).toBe(false);
  });

  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    ['Bearer', null],
    ['Bearer a b', null],
    ['Basic abc', null],
    ['abc', null],
  ])('Authorization %j gives %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it('no header, no token', () => {
    expect(bearerToken(undefined)).toBeNull();
  });
});
