import {
  BadRequestException,
  NotFoundException,
  ServiceUnavailableException,
  type ArgumentsHost,
} from '@nestjs/common';
import pino from 'pino';

import { GatewayError, GatewayErrorCode, ServiceCallError, statusOf } from './gateway.errors';
import { GatewayErrorFilter, toErrorBody } from './gateway-error.filter';

describe('toErrorBody', () => {
  it('gives every gateway code its status', () => {
    for (const code of Object.values(GatewayErrorCode)) {
      const body = toErrorBody(new GatewayError(code, 'm'));
      expect(body).toEqual({ statusCode: statusOf(code), code, message: 'm', details: null });
    }
  });

  it("passes a service's error body through, fixing a status that is not an error", () => {
    const body = {
      statusCode: 409,
      code: 'SHOP_ALREADY_REGISTERED',
      message: 'm',
      details: { a: 1 },
    };
    expect(toErrorBody(new ServiceCallError('credentials', body))).toEqual(body);
    expect(
      toErrorBody(
        new ServiceCallError('credentials', { statusCode: 200, code: 'X', message: 'm' }),
      ),
    ).toEqual({ statusCode: 502, code: 'X', message: 'm', details: null });
  });

  it("maps Nest's HttpExceptions to a code", () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x'))).toEqual({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: 'Cannot GET /x',
      details: null,
    });
    expect(toErrorBody(new BadRequestException(['a is bad', 'b is bad'])).message).toBe(
      'a is bad; b is bad',
    );
  });

  it('keeps an HttpException that already carries the error body', () => {
    const body = {
      statusCode: 503,
      code: 'SERVICE_UNREACHABLE',
      message: 'not reachable: mapping',
      details: [],
    };
    expect(toErrorBody(new ServiceUnavailableException(body))).toEqual(body);
  });

  it('answers anything else with a 500 that says nothing about it', () => {
    const body = toErrorBody(new Error('password=hunter2 at db-host'));
    expect(body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: expect.any(String),
      details: null,
    });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(toErrorBody('a string').code).toBe('INTERNAL');
  });
});

describe('GatewayErrorFilter', () => {
  function host() {
    const sent: { status?: number; body?: unknown; headers: Record<string, string> } = {
      headers: {},
    };
    const response = {
      setHeader: (name: string, value: string) => (sent.headers[name] = value),
      status: (status: number) => {
        sent.status = status;
        return { json: (body: unknown) => (sent.body = body) };
      },
    };
    const argumentsHost = {
      switchToHttp: () => ({ getResponse: () => response }),
    } as unknown as ArgumentsHost;
    return { argumentsHost, sent };
  }

  it('writes the body with its status, and WWW-Authenticate on a 401', () => {
    const { argumentsHost, sent } = host();
    new GatewayErrorFilter(pino({ level: 'silent' })).catch(
      new GatewayError(GatewayErrorCode.Unauthenticated, 'no token'),
      argumentsHost,
    );
    expect(sent).toEqual({
      status: 401,
      body: { statusCode: 401, code: 'UNAUTHENTICATED', message: 'no token', details: null },
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  });

  it('logs a 500 without the raw body a parser error carries', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const { argumentsHost, sent } = host();
    const error = Object.assign(new Error('boom'), { body: '{"serviceSecret":"SP-secret"}' });
    new GatewayErrorFilter(logger).catch(error, argumentsHost);
    expect(sent.status).toBe(500);
    expect(lines.join('')).toContain('boom');
    expect(lines.join('')).not.toContain('SP-secret');
  });
});
