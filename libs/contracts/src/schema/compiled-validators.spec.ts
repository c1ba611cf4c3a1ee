import fc from 'fast-check';

import { decodeEvent, decodeWithDecorators, encodeEvent } from '../codec';
import { exampleEvent, exampleShipmentReadyV1Data } from '../examples';
import { EVENT_DEFINITIONS } from '../registry';
import { EVENT_TYPES, TOPICS, type EventType } from '../topics';
import { compiledEventCheck, eventSchema } from './compiled-validators';

/*
 * The compiled check must never accept what the decorators refuse, and must accept what they
 * accept for the data producers really send (else every event pays for class-validator again).
 * Compared on every example event and on thousands of random mutations of them.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function examples(): { type: EventType; value: Record<string, Json> }[] {
  const list = EVENT_TYPES.map((type) => ({
    type,
    value: JSON.parse(encodeEvent(exampleEvent(type))) as Record<string, Json>,
  }));
  const v1 = JSON.parse(encodeEvent(exampleEvent(TOPICS.SHIPMENT_READY))) as Record<string, Json>;
  v1['version'] = 1;
  v1['data'] = JSON.parse(JSON.stringify(exampleShipmentReadyV1Data())) as Json;
  list.push({ type: TOPICS.SHIPMENT_READY, value: v1 });
  return list;
}

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
}

function compiledVerdict(text: string): boolean {
  const parsed = JSON.parse(text) as Record<string, Json>;
  const check =
    typeof parsed['type'] === 'string' && typeof parsed['version'] === 'number'
      ? compiledEventCheck(parsed['type'] as EventType, parsed['version'])
      : undefined;
  return check !== undefined && check(parsed);
}

/** Values a producer's bug or a hostile client could put anywhere. BMP text only: see below. */
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, '', ' ', 0, -1, 1, 1.5, 0.12345, 1e21, true, false, [], {}, [{}]),
  fc.constantFrom<Json>('1001', '12345', 'abcd', '2025-02-30', '2025-03-01T10:15:00+0900'),
  fc.constantFrom<Json>('2025-03-01', '2025-03-01T25:00:00Z', 'not-a-uuid', 'QUJD', 'QUJ'),
  fc.string({ maxLength: 6 }),
  fc.string({ minLength: 195, maxLength: 205 }),
  fc.integer({ min: -3, max: 1_001 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(fc.constantFrom<Json>(null, 'x', 1, {}), { maxLength: 3 }),
);

describe('compiled event checks', () => {
  it('build a JSON Schema for every version of every event type', () => {
    for (const type of EVENT_TYPES) {
      for (const version of Object.keys(EVENT_DEFINITIONS[type].versions)) {
        const schema = eventSchema(type, Number(version));
        expect(schema).toMatchObject({ type: 'object', properties: { type: { const: type } } });
      }
    }
  });

  it.each(examples().map((e) => [`${e.type} v${JSON.stringify(e.value['version'])}`, e] as const))(
    'accept the example %s, as the decorators do',
    (_name, { value }) => {
      const text = JSON.stringify(value);
      expect(decodeWithDecorators(text).ok).toBe(true);
      expect(compiledVerdict(text)).toBe(true);
    },
  );

  it('agree with the decorators on random mutations, and decode to the same event', () => {
    const bases = examples();
    const mutation = fc
      .record({
        base: fc.integer({ min: 0, max: bases.length - 1 }),
        pick: fc.nat(),
        op: fc.constantFrom('set', 'delete', 'add'),
        value: hostileValue,
      })
      .map(({ base, pick, op, value }) => {
        const event = JSON.parse(JSON.stringify(bases[base].value)) as Json;
        const paths = pathsOf(event);
        const path = paths[pick % paths.length];
        let parent = event as Record<string | number, Json>;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
        const last = path[path.length - 1];
        if (op === 'set') parent[last] = value;
        else if (op === 'delete' && !Array.isArray(parent)) delete parent[last];
        else if (typeof parent[last] === 'object' && parent[last] !== null) {
          (parent[last] as Record<string, Json>)['unknownField'] = value;
        }
        return JSON.stringify(event);
      });
    let accepted = 0;
    fc.assert(
      fc.property(mutation, (text) => {
        const byDecorators = decodeWithDecorators(text);
        expect(compiledVerdict(text)).toBe(byDecorators.ok);
        const decoded = decodeEvent(text);
        expect(decoded.ok).toBe(byDecorators.ok);
        if (decoded.ok && byDecorators.ok) {
          accepted++;
          expect(decoded.event).toEqual(byDecorators.event);
        } else if (!decoded.ok && !byDecorators.ok) {
          expect(decoded.code).toBe(byDecorators.code);
          expect(decoded.reason).toBe(byDecorators.reason);
        }
      }),
      { numRuns: 3_000, seed: 19 },
    );
    // The mutations must exercise both sides of the comparison.
    expect(accepted).toBeGreaterThan(300);
  });

  it('may be stricter than the decorators, never looser: the codec then asks the decorators', () => {
    // validator.js does not count a variation selector as a character; JSON Schema does. A
    // four-character licence suffix with one is refused by the compiled check and accepted by
    // the decorators, and decodeEvent follows the decorators.
    const event = JSON.parse(encodeEvent(exampleEvent(TOPICS.SHOP_UPDATED))) as {
      data: { licenseKeyLast4: string };
    };
    event.data.licenseKeyLast4 = 'ab\uFE0Fcd';
    const text = JSON.stringify(event);
    expect(compiledVerdict(text)).toBe(false);
    expect(decodeWithDecorators(text).ok).toBe(true);
    const decoded = decodeEvent(text);
    expect(decoded.ok && decoded.event.data).toMatchObject({ licenseKeyLast4: 'ab\uFE0Fcd' });
  });
});
