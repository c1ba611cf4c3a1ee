import { placeOf, selfTimeByPlace } from './profile';

describe('bench CPU profile summary', () => {
  it('names the place of a function: package, project code, node internals or a V8 frame', () => {
    expect(placeOf('file:///w/node_modules/class-validator/cjs/validation/x.js', 'f')).toBe(
      'class-validator',
    );
    expect(placeOf('file:///w/node_modules/@nestjs/core/router/r.js', 'f')).toBe('@nestjs/core');
    expect(placeOf('file:///w/node_modules/a/node_modules/pg/lib/c.js', 'f')).toBe('pg');
    expect(placeOf('file:///w/dist/apps/mapping/main.js', 'handle')).toBe('project code');
    expect(placeOf('node:internal/streams/readable', 'read')).toBe('node internals');
    expect(placeOf('', 'JSON.parse')).toBe('node internals');
    expect(placeOf('', '(garbage collector)')).toBe('(garbage collector)');
  });

  it('adds up self time (µs deltas) per place, largest first', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '' } },
        { id: 2, callFrame: { functionName: 'v', url: '/x/node_modules/kafkajs/a.js' } },
        { id: 3, callFrame: { functionName: 'h', url: '/x/dist/main.js' } },
      ],
      samples: [1, 2, 3, 2],
      timeDeltas: [5_000, 1_000, 2_000, 4_000],
    };
    expect(selfTimeByPlace(profile)).toEqual([
      ['(idle)', 5],
      ['kafkajs', 5],
      ['project code', 2],
    ]);
  });
});
