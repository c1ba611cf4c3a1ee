import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { Controller } from '@nestjs/common';
import {
  type ClientProxy,
  ClientProxyFactory,
  type Deserializer,
  MessagePattern,
  Payload,
  RpcException,
  type Serializer,
  Transport,
} from '@nestjs/microservices';

/*
 * Authenticated internal calls. The gateway's calls to the services over TCP carry a MAC: HMAC-
 * SHA256, under the key every service and the gateway share (INTERNAL_CALL_KEY), of the pattern,
 * the time of the call and the payload. A service refuses a call without it, with a wrong one, or
 * made more than MAX_SKEW_MS away from its own clock (401 UNAUTHENTICATED_CALL): reaching a
 * service's TCP port no longer lets anyone act as any tenant. What is not covered: a call
 * captured on the internal network can be replayed within the window, and the payload is not
 * encrypted (TLS between hosts is the network's job).
 */

/** How far a call's time may be from the service's clock. */
export const MAX_SKEW_MS = 60_000;

/** The pattern a refused call is routed to, so that the caller gets an error answer. */
export const UNAUTHENTICATED_PATTERN = '__smartship.unauthenticated_call__';

/**
 * The key used when INTERNAL_CALL_KEY is not set, which only development and tests may do
 * (production requires the variable): derived from a public string, so it protects nothing.
 */
export const DEVELOPMENT_INTERNAL_CALL_KEY = createHash('sha256')
  .update('smartship development internal call key — not a secret')
  .digest();

/** The key of INTERNAL_CALL_KEY (base64), or the development key when it is not set. */
export function internalCallKey(config: { INTERNAL_CALL_KEY?: string }): Buffer {
  return config.INTERNAL_CALL_KEY
    ? Buffer.from(config.INTERNAL_CALL_KEY, 'base64')
    : DEVELOPMENT_INTERNAL_CALL_KEY;
}

/** What a signed packet carries besides Nest's `{ pattern, data, id }`. */
export interface CallAuth {
  /** When the call was made, ms since the epoch. */
  ts: number;
  /** base64url HMAC-SHA256 of pattern, ts and data. */
  mac: string;
}

interface Packet {
  pattern?: unknown;
  data?: unknown;
  id?: string;
  auth?: CallAuth;
}

function mac(key: Buffer, pattern: unknown, ts: number, data: unknown): string {
  return createHmac('sha256', key)
    .update(`${JSON.stringify(pattern)}\n${ts}\n${JSON.stringify(data ?? null)}`)
    .digest('base64url');
}

/** The packet with its MAC, as the gateway sends it. */
export function signPacket<T extends Packet>(
  key: Buffer,
  packet: T,
  now = Date.now(),
): T & { auth: CallAuth } {
  return { ...packet, auth: { ts: now, mac: mac(key, packet.pattern, now, packet.data) } };
}

/** Why a packet is refused, or null when its MAC is right and its time is near ours. */
export function whyRefused(key: Buffer, packet: Packet, now = Date.now()): string | null {
  const auth = packet.auth;
  if (!auth || typeof auth.ts !== 'number' || typeof auth.mac !== 'string') {
    return 'the call is not authenticated';
  }
  const expected = Buffer.from(mac(key, packet.pattern, auth.ts, packet.data));
  const given = Buffer.from(auth.mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'the call’s authentication is wrong';
  }
  if (Math.abs(now - auth.ts) > MAX_SKEW_MS) {
    return 'the call was made too long ago (or the clocks disagree)';
  }
  return null;
}

/** The gateway's side: every outgoing call is signed. */
export class SigningSerializer implements Serializer {
  constructor(private readonly key: Buffer) {}

  serialize(packet: Packet): Packet {
    return signPacket(this.key, packet);
  }
}

/**
 * A TCP client whose calls are signed, as the gateway's are; tests and tools use it to call a
 * service directly (the development key unless given another).
 */
export function internalCallClient(
  port: number,
  key: Buffer = DEVELOPMENT_INTERNAL_CALL_KEY,
  host = '127.0.0.1',
): ClientProxy {
  return ClientProxyFactory.create({
    transport: Transport.TCP,
    options: { host, port, serializer: new SigningSerializer(key) },
  });
}

/**
 * A service's side: a call whose MAC is missing, wrong or stale goes to UNAUTHENTICATED_PATTERN
 * instead of its handler (with only the reason), and never reaches the service's code.
 */
export class VerifyingDeserializer implements Deserializer {
  constructor(private readonly key: Buffer) {}

  deserialize(value: Packet): { pattern: unknown; data: unknown; id?: string } {
    const refused = whyRefused(this.key, value ?? {});
    if (refused)
      return { pattern: UNAUTHENTICATED_PATTERN, data: { reason: refused }, id: value?.id };
    return { pattern: value.pattern, data: value.data, id: value.id };
  }
}

/** Answers every refused call with 401 UNAUTHENTICATED_CALL. */
@Controller()
export class UnauthenticatedCallController {
  @MessagePattern(UNAUTHENTICATED_PATTERN)
  refuse(@Payload() data: { reason?: string }): never {
    throw new RpcException({
      statusCode: 401,
      code: 'UNAUTHENTICATED_CALL',
      message: `internal call refused: ${data?.reason ?? 'not authenticated'}`,
      details: null,
    });
  }
}
