import { RakutenClient, type RakutenClientOptions } from './rakuten-client';
import { RakutenError, RakutenErrorCode } from './rakuten.errors';

/*
 * The client's HTTP handling against scripted responses: request shape, error classification,
 * retry policy and secret hygiene. The same behaviour is exercised over real HTTP against the
 * simulator in apps/rakuten-sim (contract tests).
 */

const SECRET = 'SP123456_topsecret';
const KEY = 'SL123456_licencekey';

type Scripted =
  { status: number; body?: string; headers?: Record<string, string> } | 'timeout' | 'network';

function clientWith(script: Scripted[], options: Partial<RakutenClientOptions> = {}) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetchFn = jest.fn((url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests.push({
      url: typeof url === 'string' ? url : url instanceof URL ? url.href : url.url,
      init: init ?? {},
    });
    const next = script.shift() ?? { status: 200, body: '{}' };
    if (next === 'network')
      return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
    if (next === 'timeout') {
      return new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        ),
      );
    }
    return Promise.resolve(
      new Response(next.body ?? null, {
        status: next.status,
        headers: next.headers ?? { 'content-type': 'application/json;charset=utf-8' },
      }),
    );
  });
  const client = new RakutenClient({
    credentials: { serviceSecret: SECRET, licenseKey: KEY },
    baseUrl: 'http://rms.test/',
    fetch: fetchFn,
    retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 5 },
    timeoutMs: 50,
    ...options,
  });
  return { client, requests, fetchFn };
}

const searchBody = {
  dateType: 1 as const,
  startDatetime: '2025-03-01T00:00:00+0900',
  endDatetime: '2025-03-02T00:00:00+0900',
};
const ok = (body: object) => ({ status: 200, body: JSON.stringify(body) });

async function failure(promise: Promise<unknown>): Promise<RakutenError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RakutenError) return error;
    throw error;
  }
  throw new Error('expected a RakutenError');
}

describe('RakutenClient requests', () => {
  it('POSTs JSON with charset, the ESA header and the documented trailing slash', async () => {
    const { client, requests } = clientWith([
      ok({ orderNumberList: [], MessageModelList: [], PaginationResponseModel: null }),
    ]);
    await client.searchOrder(searchBody);
    expect(requests[0].url).toBe('http://rms.test/es/2.0/order/searchOrder/');
    const headers = requests[0].init.headers as Record<string, string>;
    expect(headers.Authorization).toBe(`ESA ${Buffer.from(`${SECRET}:${KEY}`).toString('base64')}`);
    expect(headers['Content-Type']).toBe('application/json; charset=utf-8');
    expect(requests[0].init.method).toBe('POST');
  });

  it('asks getOrder for the newest version by default (10)', async () => {
    const { client, requests } = clientWith([ok({ MessageModelList: [], OrderModelList: [] })]);
    const result = await client.getOrder(['123456-20250301-0000000001']);
    expect(JSON.parse(requests[0].init.body as string)).toEqual({
      orderNumberList: ['123456-20250301-0000000001'],
      version: 10,
    });
    expect(result.missing).toEqual(['123456-20250301-0000000001']);
  });

  it('refuses batches over the documented limits before sending', async () => {
    const { client, fetchFn } = clientWith([]);
    await expect(client.getOrder(Array.from({ length: 101 }, String))).rejects.toThrow(RangeError);
    await expect(client.confirmOrder([])).rejects.toThrow(RangeError);
    await expect(
      client.bulkUpsertInventory(
        Array.from({ length: 401 }, () => ({
          manageNumber: 'a',
          variantId: 'b',
          mode: 'ABSOLUTE' as const,
          quantity: 1,
        })),
      ),
    ).rejects.toThrow(RangeError);
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('returns per-order outcomes of confirmOrder instead of throwing for the batch', async () => {
    const { client } = clientWith([
      ok({
        MessageModelList: [
          {
            messageType: 'INFO',
            messageCode: 'ORDER_EXT_API_CONFIRM_ORDER_INFO_101',
            message: 'ok',
            orderNumber: 'a',
          },
          {
            messageType: 'ERROR',
            messageCode: 'ORDER_EXT_API_CONFIRM_ORDER_ERROR_103',
            message: 'already',
            orderNumber: 'b',
          },
        ],
      }),
    ]);
    const outcomes = await client.confirmOrder(['a', 'b', 'c']);
    expect(outcomes.map((o) => [o.orderNumber, o.ok, o.code])).toEqual([
      ['a', true, 'ORDER_EXT_API_CONFIRM_ORDER_INFO_101'],
      ['b', false, 'ORDER_EXT_API_CONFIRM_ORDER_ERROR_103'],
      ['c', false, 'NO_MESSAGE_FOR_ORDER'],
    ]);
  });

  it('turns the 0-hit null pagination into zeros', async () => {
    const { client } = clientWith([
      ok({
        orderNumberList: [],
        MessageModelList: [{ messageType: 'INFO', messageCode: 'X_INFO_102', message: '' }],
        PaginationResponseModel: { totalRecordsAmount: null, totalPages: null, requestPage: null },
      }),
    ]);
    expect(await client.searchOrder(searchBody)).toMatchObject({
      orderNumbers: [],
      totalRecords: 0,
      totalPages: 0,
    });
  });
});

describe('RakutenClient error classification', () => {
  it.each([
    [
      'ES01-01 with 401',
      { status: 401, body: '{"Results":{"errorCode":"ES01-01","message":"Un-Authorised"}}' },
      RakutenErrorCode.AUTHENTICATION,
    ],
    [
      'ES01-01 with 200 and errorMessage (S3)',
      {
        status: 200,
        body: '{"Results":{"errorCode":"ES01-01","errorMessage":"invalid licenseKey"}}',
      },
      RakutenErrorCode.AUTHENTICATION,
    ],
    [
      'ES04-01',
      { status: 400, body: '{"Results":{"errorCode":"ES04-01","message":"Bad Request"}}' },
      RakutenErrorCode.FUNCTION_NOT_ENABLED,
    ],
    ['a bare 403', { status: 403, body: '' }, RakutenErrorCode.FUNCTION_NOT_ENABLED],
    ['a non-JSON 200', { status: 200, body: 'OK' }, RakutenErrorCode.UNEXPECTED_RESPONSE],
    [
      'a 200 without MessageModelList',
      { status: 200, body: '{"foo":1}' },
      RakutenErrorCode.UNEXPECTED_RESPONSE,
    ],
  ])('%s → %s, not retried', async (_name, response, code) => {
    const { client, fetchFn } = clientWith([response, response, response]);
    const error = await failure(client.searchOrder(searchBody));
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(false);
    expect(fetchFn).toHaveBeenCalledTimes(1);
  });

  it('a request error names the RMS code and the field', async () => {
    const body = {
      orderNumberList: null,
      MessageModelList: [
        {
          messageType: 'ERROR',
          messageCode: 'ORDER_EXT_API_SEARCH_ORDER_ERROR_011',
          message: 'startDatetimeの書式が不正です。',
        },
      ],
      PaginationResponseModel: null,
    };
    const { client } = clientWith([{ status: 400, body: JSON.stringify(body) }]);
    const error = await failure(client.searchOrder(searchBody));
    expect(error).toMatchObject({
      code: RakutenErrorCode.INVALID_REQUEST,
      rmsCode: 'ORDER_EXT_API_SEARCH_ORDER_ERROR_011',
      field: 'startDatetime',
      status: 400,
    });
  });

  it('an Inventory API error names its code and propertyPath', async () => {
    const body = {
      errors: [
        {
          code: 'IE0004',
          message: 'Max length of manageNumber must be within 32 bytes.',
          metadata: { propertyPath: 'inventories[0].manageNumber' },
        },
      ],
    };
    const { client } = clientWith([{ status: 400, body: JSON.stringify(body) }]);
    const error = await failure(client.bulkGetInventory([{ manageNumber: 'x', variantId: 'y' }]));
    expect(error).toMatchObject({
      code: RakutenErrorCode.INVALID_REQUEST,
      rmsCode: 'IE0004',
      field: 'inventories[0].manageNumber',
    });
  });

  it('reads retry a 503 HTML maintenance page and a 429, then succeed', async () => {
    const html = {
      status: 503,
      body: '<html>maintenance</html>',
      headers: { 'content-type': 'text/html' },
    };
    const { client, fetchFn } = clientWith([
      html,
      { status: 429, body: '' },
      ok({
        orderNumberList: ['a'],
        MessageModelList: [],
        PaginationResponseModel: { totalRecordsAmount: 1, totalPages: 1, requestPage: 1 },
      }),
    ]);
    expect((await client.searchOrder(searchBody)).orderNumbers).toEqual(['a']);
    expect(fetchFn).toHaveBeenCalledTimes(3);
  });

  it('gives up after the configured attempts with the last error, UNAVAILABLE and retryable', async () => {
    const { client, fetchFn } = clientWith([
      { status: 500, body: '' },
      { status: 502, body: '' },
      { status: 503, body: '' },
    ]);
    const error = await failure(client.searchOrder(searchBody));
    expect(error).toMatchObject({
      code: RakutenErrorCode.UNAVAILABLE,
      retryable: true,
      attempts: 3,
      status: 503,
    });
    expect(fetchFn).toHaveBeenCalledTimes(3);
  });

  it('an HTML body with 200 is UNAVAILABLE too', async () => {
    const { client } = clientWith(
      [{ status: 200, body: '<html>maintenance</html>', headers: { 'content-type': 'text/html' } }],
      { retry: { attempts: 1 } },
    );
    expect((await failure(client.searchOrder(searchBody))).code).toBe(RakutenErrorCode.UNAVAILABLE);
  });

  it('a timeout is TIMEOUT and a refused connection NETWORK; reads retry them', async () => {
    const { client, fetchFn } = clientWith(['timeout', 'network', 'timeout']);
    const error = await failure(client.getOrder(['a']));
    expect(error.code).toBe(RakutenErrorCode.TIMEOUT);
    expect(fetchFn).toHaveBeenCalledTimes(3);
    const network = await failure(
      clientWith(['network'], { retry: { attempts: 1 } }).client.getOrder(['a']),
    );
    expect(network.code).toBe(RakutenErrorCode.NETWORK);
    expect(network.message).toContain('ECONNREFUSED');
  });

  it('writes are never retried: one attempt, and the caller learns whether a retry could help', async () => {
    const { client, fetchFn } = clientWith(['timeout', ok({ MessageModelList: [] })]);
    const error = await failure(client.confirmOrder(['a']));
    expect(error.code).toBe(RakutenErrorCode.TIMEOUT);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('may have been applied');
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const upsert = clientWith([{ status: 503, body: '' }]);
    await failure(
      upsert.client.bulkUpsertInventory([
        { manageNumber: 'a', variantId: 'b', mode: 'ABSOLUTE', quantity: 1 },
      ]),
    );
    expect(upsert.fetchFn).toHaveBeenCalledTimes(1);
  });

  it('never puts the secret or the licence key in an error message, even when RMS echoes them', async () => {
    const echo = `<html>bad key ${KEY} for ${SECRET}</html>`;
    const { client } = clientWith(
      [{ status: 503, body: echo, headers: { 'content-type': 'text/html' } }],
      { retry: { attempts: 1 } },
    );
    const error = await failure(client.searchOrder(searchBody));
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain('[redacted]');
  });

  it('getInventoryVariant answers null for GE0014 (404), getItem too', async () => {
    const notFound = { status: 404, body: '{"errors":[{"code":"GE0014","message":"Not found"}]}' };
    const { client } = clientWith([notFound, notFound]);
    expect(await client.getInventoryVariant({ manageNumber: 'a', variantId: 'b' })).toBeNull();
    expect(await client.getItem('a')).toBeNull();
  });
});
