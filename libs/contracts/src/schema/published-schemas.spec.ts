import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { EVENT_DEFINITIONS } from '../registry';
import { EVENT_TYPES } from '../topics';
import { eventSchema } from './compiled-validators';

/*
 * docs/schemas holds the JSON Schema of every event version, derived from the contract classes,
 * for consumers outside this code base. This test fails when a contract changed and the files
 * were not regenerated: `UPDATE_SCHEMAS=1 npx jest -c jest.unit.config.ts published-schemas`.
 */

const DIR = join(__dirname, '../../../../docs/schemas');

function expectedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const type of EVENT_TYPES) {
    for (const version of Object.keys(EVENT_DEFINITIONS[type].versions)) {
      const schema = eventSchema(type, Number(version));
      files.set(`${type}.v${version}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
    }
  }
  return files;
}

describe('docs/schemas', () => {
  it('holds the current JSON Schema of every event version, and nothing else', () => {
    const expected = expectedFiles();
    if (process.env['UPDATE_SCHEMAS'] === '1') {
      if (!existsSync(DIR)) mkdirSync(DIR, { recursive: true });
      for (const [name, text] of expected) writeFileSync(join(DIR, name), text);
    }
    const present = readdirSync(DIR).filter((name) => name.endsWith('.schema.json'));
    expect(present.sort()).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) {
      expect({ name, text: readFileSync(join(DIR, name), 'utf8') }).toEqual({ name, text });
    }
  });
});
