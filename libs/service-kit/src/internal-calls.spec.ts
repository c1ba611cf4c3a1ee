import { randomBytes } from 'node:crypto';

import {
  MAX_SKEW_MS,
  SigningSerializer,
  UNAUTHENTICATED_PATTERN,
  VerifyingDeserializer,
  signPacket,
  whyRefused,
} from './internal-calls';

const key = randomBytes(32);

/** What the TCP transport does to a packet between the two processes. */
const overTheWire = <T>(packet: T): T => JSON.parse(JSON.stringify(packet)) as T;

describe('internal call authentication', () => {
  const call = {
    pattern: 'ingestion.shops.pull',
    data: {
      actor: { tenantId: 't-1', actorId: 'u-1' },
      shopId: 's-1',
      // Dropped and turned into a string on the wire: the MAC must survive both.
      shopRevision: undefined,
      since: new Date('2026-12-06T00:00:00Z'),
    },
    id: 'c-1',
  };

  it('a call signed by the gateway is accepted after crossing the wire', () => {
    const sent = overTheWire(new SigningSerializer(key).serialize(call));
    expect(whyRefused(key, sent)).toBeNull();
    expect(new VerifyingDeserializer(key).deserialize(sent)).toEqual({
      pattern: call.pattern,
      data: overTheWire(call.data),
      id: 'c-1',
    });
  });

  it('refuses a call without a MAC, with another key’s, or with anything changed', () => {
    const signed = overTheWire(signPacket(key, call));
    const refusals = [
      whyRefused(key, overTheWire(call)),
      whyRefused(randomBytes(32), signed),
      whyRefused(key, { ...signed, pattern: 'ingestion.backfills.start' }),
      whyRefused(key, { ...signed, data: { ...signed.data, shopId: 's-2' } }),
      whyRefused(key, { ...signed, auth: { ...signed.auth, ts: signed.auth.ts + 1 } }),
    ];
    expect(refusals.map((reason) => reason !== null)).toEqual([true, true, true, true, true]);
    expect(refusals[0]).toBe('the call is not authenticated');
  });

  it('refuses a call made too long ago, and routes every refusal away from its handler', () => {
    const now = Date.now();
    const old = overTheWire(signPacket(key, call, now - MAX_SKEW_MS - 1_000));
    expect(whyRefused(key, old, now)).toMatch(/too long ago/);
    expect(new VerifyingDeserializer(key).deserialize(old)).toEqual({
      pattern: UNAUTHENTICATED_PATTERN,
      data: { reason: expect.stringMatching(/too long ago/) },
      id: 'c-1',
    });
  });
});
