import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { localizeError, localizeField, localizeProblem } from './errors';
import { LANGS, isMessageKey, translate } from './messages';

describe('gateway errors in the seller language', () => {
  const wrongHost = {
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message:
      'Invalid request: shopUrl is on host www.rakuten.com, not www.rakuten.ne.jp: it must be https://www.rakuten.ne.jp/<shop ID>, e.g. https://www.rakuten.ne.jp/abcd14231499',
    details: [
      {
        field: 'shopUrl',
        problems: [
          'shopUrl is on host www.rakuten.com, not www.rakuten.ne.jp: it must be https://www.rakuten.ne.jp/<shop ID>, e.g. https://www.rakuten.ne.jp/abcd14231499',
        ],
      },
    ],
  };

  it('names the field and says what is wrong in Korean, Japanese and English', () => {
    expect(localizeError('ko', wrongHost)).toEqual({
      code: 'VALIDATION_FAILED',
      message: '입력값을 확인하세요. 아무것도 저장하지 않았습니다.',
      fields: [
        {
          field: 'shopUrl',
          label: '샵 URL',
          problems: [
            'www.rakuten.com가 아니라 www.rakuten.ne.jp 주소여야 합니다. 예: https://www.rakuten.ne.jp/abcd14231499',
          ],
        },
      ],
      original: wrongHost.message,
    });
    expect(localizeError('ja', wrongHost).fields[0].label).toBe('ショップURL');
    expect(localizeError('en', wrongHost).fields[0].problems[0]).toBe(
      'must be on www.rakuten.ne.jp, not www.rakuten.com, e.g. https://www.rakuten.ne.jp/abcd14231499',
    );
  });

  it('tells a URL naming another shop from the shop ID, with the URL to use', () => {
    expect(
      localizeProblem(
        'ko',
        'shopUrl names shop "other" but the shop ID is "Mine": use https://www.rakuten.ne.jp/mine',
      ),
    ).toBe(
      'URL의 샵 "other"이(가) 샵 ID "mine"와 다릅니다. https://www.rakuten.ne.jp/mine 를 입력하세요.',
    );
  });

  it('recognises the class-validator sentences the gateway sends', () => {
    expect(
      localizeProblem('ko', 'serviceSecret is required: copy it from RMS > WEB APIサービス'),
    ).toBe('입력하세요.');
    expect(localizeProblem('ja', 'name must be shorter than or equal to 500 characters')).toBe(
      '500文字以内で入力してください。',
    );
    expect(localizeProblem('en', 'options.autoOrderSync must be a boolean value')).toBe(
      'must be on or off.',
    );
    expect(
      localizeProblem(
        'ko',
        'carrierCode must be a Rakuten delivery company code (1000–1031), e.g. 1001 for ヤマト運輸',
      ),
    ).toBe('Rakuten 배송회사 코드 목록에서 고르세요.');
    expect(localizeProblem('ko', 'something nobody wrote a pattern for')).toBe(
      '값이 올바르지 않습니다.',
    );
  });

  it("says the fulfillment settings' problems and fields (sender block, packing slip)", () => {
    const body = {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'x',
      details: [
        {
          field: 'sender.zipCode',
          problems: ['sender.zipCode must be a postal code like 150-0001'],
        },
        {
          field: 'sender.phone',
          problems: ['sender.phone must be a phone number like 03-1234-5678'],
        },
      ],
    };
    expect(localizeError('ja', body).fields).toEqual([
      {
        field: 'sender.zipCode',
        label: 'ご依頼主 › 郵便番号',
        problems: ['150-0001の形式で郵便番号を入力してください。'],
      },
      {
        field: 'sender.phone',
        label: 'ご依頼主 › 電話番号',
        problems: ['03-1234-5678の形式で電話番号を入力してください（数字とハイフン）。'],
      },
    ]);
    expect(
      localizeError('ko', { statusCode: 409, code: 'PACKING_SLIP_UNAVAILABLE', message: 'x' })
        .message,
    ).toContain('납품서를 만들 수 없습니다');
  });

  it('names nested fields by their parts, counting list items from 1', () => {
    expect(localizeField('ko', 'options.0.sellerCode')).toBe('옵션 › 1번째 › 판매자 정의 코드');
    expect(localizeField('en', 'components.2.quantity')).toBe('Bundle contents › no. 3 › Quantity');
    expect(localizeField('ja', 'somethingNew')).toBe('somethingNew');
  });

  it("has a sentence in every language for every code of the gateway's own errors", () => {
    // Read from the gateway's source (the console does not import the gateway's code).
    const source = readFileSync(
      join(__dirname, '../../../gateway/src/http/gateway.errors.ts'),
      'utf8',
    );
    const enumBody = /export enum GatewayErrorCode \{([^}]*)\}/.exec(source)?.[1] ?? '';
    const codes = [...enumBody.matchAll(/=\s*'([A-Z_]+)'/g)].map((match) => match[1]);
    expect(codes).toEqual(expect.arrayContaining(['UNAUTHENTICATED', 'ROLE_FORBIDDEN']));
    const missing = codes.filter((code) => !isMessageKey(`error.${code}`));
    expect(missing).toEqual([]);
  });

  it('says every known code in every language, and an unknown code with the code itself', () => {
    for (const code of ['UNAUTHENTICATED', 'SHOP_ALREADY_REGISTERED', 'NOT_READY_TO_SHIP']) {
      for (const lang of LANGS) {
        const { message } = localizeError(lang, { statusCode: 409, code, message: 'x' });
        expect(message).toBe(translate(lang, `error.${code}` as Parameters<typeof translate>[1]));
      }
    }
    expect(localizeError('ko', { statusCode: 418, code: 'TEAPOT', message: 'x' }).message).toBe(
      '처리하지 못했습니다 (코드 TEAPOT).',
    );
  });

  it('keeps the English details out of the fields when the gateway sends none', () => {
    expect(
      localizeError('ko', { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'down' }).fields,
    ).toEqual([]);
  });
});
