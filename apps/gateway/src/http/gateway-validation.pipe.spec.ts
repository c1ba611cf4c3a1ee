import {
  RegisterRakutenShopBody,
  ShopFulfillmentSettingsBody,
  UpdateShopBody,
} from '@smartship/contracts';

import { CreateTokenDto } from '../access/dto/create-token.dto';
import { InviteDto } from '../users/dto/people.dto';
import { GatewayError, GatewayErrorCode } from './gateway.errors';
import { GatewayValidationPipe } from './gateway-validation.pipe';
import { findUnsafeText } from './unsafe-text';

const pipe = new GatewayValidationPipe();
const valid = {
  shopId: 'abcd14231499',
  shopUrl: 'https://www.rakuten.ne.jp/abcd14231499',
  serviceSecret: 'SP338711_abc',
  licenseKey: 'SL338711_xyz',
};

async function failure(
  body: unknown,
  metatype: new () => object = RegisterRakutenShopBody,
): Promise<GatewayError> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('the pipe accepted the body');
}

describe('GatewayValidationPipe', () => {
  it('returns the contract instance, keys trimmed', async () => {
    const out = await pipe.transform(
      { ...valid, licenseKey: ' SL338711_xyz\r\n' },
      { type: 'body', metatype: RegisterRakutenShopBody },
    );
    expect(out).toBeInstanceOf(RegisterRakutenShopBody);
    expect((out as RegisterRakutenShopBody).licenseKey).toBe('SL338711_xyz');
  });

  it('names nested fields by dotted path in the details and the message', async () => {
    const error = await failure({ options: { autoOrderSync: 'yes', extra: 1 } }, UpdateShopBody);
    expect(error.code).toBe(GatewayErrorCode.ValidationFailed);
    expect(error.details).toEqual(
      expect.arrayContaining([
        {
          field: 'options.autoOrderSync',
          problems: ['options.autoOrderSync must be a boolean value'],
        },
        { field: 'options.extra', problems: ['property options.extra should not exist'] },
      ]),
    );
    expect(error.message).toMatch(/^Invalid request: /);
    expect(error.message).toContain('options.autoOrderSync must be a boolean value');
    expect(error.message).toContain('property options.extra should not exist');
  });

  it('reports unsafe text together with the other problems, one entry per field', async () => {
    const error = await failure({ ...valid, shopUrl: 'https://x\uFFFD', licenseKey: 5 });
    const fields = (error.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['shopUrl', 'licenseKey']));
    expect(new Set(fields).size).toBe(fields.length);
  });

  it('names unsafe text that makes a validator throw (a lone surrogate in an e-mail)', async () => {
    // validator's isEmail throws a URIError on it (encodeURI): that was a 500.
    const error = await failure({ email: '\ud800x', role: 'staff' }, InviteDto);
    expect(error.code).toBe(GatewayErrorCode.ValidationFailed);
    expect(error.details).toEqual([
      { field: 'email', problems: [expect.stringContaining('not text')] },
    ]);
  });

  it('refuses a null token expiry (only leaving it out means "never")', async () => {
    // @IsOptional let null through and the token was created expired in 1970.
    const error = await failure({ name: 'x', expiresAt: null }, CreateTokenDto);
    expect((error.details as { field: string }[]).map((d) => d.field)).toEqual(['expiresAt']);
  });

  it('refuses an array where a nested object goes (@ValidateNested alone took [])', async () => {
    const cases: [unknown, new () => object, string][] = [
      [{ ...valid, options: [] }, RegisterRakutenShopBody, 'options'],
      [{ options: [{ autoOrderSync: true }] }, UpdateShopBody, 'options'],
      [{ splitPolicy: 'hold', sender: [] }, ShopFulfillmentSettingsBody, 'sender'],
    ];
    for (const [body, metatype, field] of cases) {
      const error = await failure(body, metatype);
      expect((error.details as { field: string }[]).map((d) => d.field)).toEqual([field]);
    }
    // null stays "no sender block" (the orderer is printed).
    await expect(
      pipe.transform(
        { splitPolicy: 'hold', sender: null },
        { type: 'body', metatype: ShopFulfillmentSettingsBody },
      ),
    ).resolves.toMatchObject({ sender: null });
  });

  it('refuses a body that is not an object', async () => {
    expect((await failure([valid])).details).toEqual([
      { field: 'body', problems: [expect.stringContaining('JSON object')] },
    ]);
  });

  it('never puts a value in the error', async () => {
    const error = await failure({ ...valid, serviceSecret: 'SECRET VALUE WITH SPACES' });
    expect(JSON.stringify(error.toBody())).not.toContain('SECRET VALUE');
  });

  it('leaves path parameters and custom decorators alone', async () => {
    await expect(pipe.transform('x\u0000', { type: 'param', metatype: String })).resolves.toBe(
      'x\u0000',
    );
    await expect(pipe.transform({ a: 1 }, { type: 'custom' })).resolves.toEqual({ a: 1 });
  });
});

describe('findUnsafeText', () => {
  it.each([
    ['U+FFFD', 'a\uFFFDb'],
    ['NUL', 'a\u0000b'],
    ['ESC', '\u001b[2J'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085'],
    ['a lone high surrogate', 'a\ud800'],
    ['a lone low surrogate', '\udc00a'],
  ])('flags %s', (_name, text) => {
    expect(findUnsafeText({ a: { b: text } })).toEqual([
      { field: 'a.b', problems: [expect.stringContaining('a.b contains')] },
    ]);
  });

  it.each([
    ['tab and line breaks', 'a\tb\r\nc'],
    ['Japanese', '楽天市場 ショップ'],
    ['an emoji (a surrogate pair)', 'shop 😀'],
    ['Korean', '자동 주문 연동'],
  ])('accepts %s', (_name, text) => {
    expect(findUnsafeText({ a: text })).toEqual([]);
  });

  it('flags prototype keys and array items by path', () => {
    expect(
      findUnsafeText(JSON.parse('{"__proto__": {"x": 1}, "list": ["ok", "bad\\u0000"]}')),
    ).toEqual([
      { field: '__proto__', problems: ['property __proto__ should not exist'] },
      { field: 'list.1', problems: [expect.stringContaining('list.1 contains')] },
    ]);
  });

  it('stops at a depth no request needs', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i += 1) deep = { d: deep };
    expect(findUnsafeText(deep)).toEqual([
      {
        field: expect.stringMatching(/^d(\.d)+$/),
        problems: [expect.stringContaining('nested more than')],
      },
    ]);
  });
});
