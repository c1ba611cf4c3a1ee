import type { ClientProxy } from '@nestjs/microservices';
import { NEVER, TimeoutError, of, throwError } from 'rxjs';

import { GatewayError, GatewayErrorCode, ServiceCallError } from '../http/gateway.errors';
import { callService, toCallError } from './service-call';

function client(answer: ReturnType<ClientProxy['send']>): ClientProxy {
  return { send: jest.fn().mockReturnValue(answer) } as unknown as ClientProxy;
}

describe('callService', () => {
  it("answers the service's reply", async () => {
    await expect(callService(client(of({ ok: 1 })), 'credentials', 'p', {}, 100)).resolves.toEqual({
      ok: 1,
    });
  });

  it('turns a silent service into a 503 naming it after the timeout', async () => {
    const error = await callService(client(NEVER), 'credentials', 'p', {}, 20).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(GatewayErrorCode.ServiceUnavailable);
    expect((error as GatewayError).message).toContain(
      'credentials service did not answer within 0.02 s',
    );
  });

  it("keeps the service's error body (an RpcException over TCP)", async () => {
    const body = { statusCode: 404, code: 'SHOP_NOT_FOUND', message: 'no shop', details: null };
    const error = await callService(
      client(throwError(() => body)),
      'credentials',
      'p',
      {},
      100,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceCallError);
    expect((error as ServiceCallError).body).toEqual(body);
  });
});

describe('toCallError', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE'])('%s is a 503', (code) => {
    const error = Object.assign(new Error(`connect ${code}`), { code });
    expect((toCallError(error, 'mapping', 1000) as GatewayError).code).toBe(
      GatewayErrorCode.ServiceUnavailable,
    );
  });

  it('a socket closed under a pending call is a 503', () => {
    expect(
      (toCallError(new Error('Connection closed'), 'credentials', 1000) as GatewayError).code,
    ).toBe(GatewayErrorCode.ServiceUnavailable);
  });

  it('a timeout is a 503', () => {
    expect((toCallError(new TimeoutError(), 'credentials', 5000) as GatewayError).details).toEqual({
      service: 'credentials',
    });
  });

  it("Nest's generic RPC failure is a 500 that names the service and nothing else", () => {
    const error = toCallError(
      { status: 'error', message: 'Internal server error' },
      'credentials',
      1000,
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(GatewayErrorCode.Internal);
    expect(error.message).toBe('The credentials service failed; try again later');
  });
});
