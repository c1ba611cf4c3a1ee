import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import * as constants from './index';
import * as contracts from '../index';

/** Every module `file` loads, following relative imports; packages are returned as they are. */
function importsOf(
  file: string,
  seen = new Set<string>(),
): { files: Set<string>; packages: string[] } {
  const packages: string[] = [];
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(
    /(?:import|export)\s[^'";]*?from\s+'([^']+)'|import\s+'([^']+)'/g,
  )) {
    const specifier = match[1] ?? match[2];
    if (!specifier.startsWith('.')) {
      packages.push(specifier);
      continue;
    }
    const target = resolve(dirname(file), specifier);
    const path = target.endsWith('.ts') ? target : `${target}.ts`;
    if (!seen.has(path)) packages.push(...importsOf(path, seen).packages);
  }
  return { files: seen, packages };
}

describe('@smartship/contracts/constants', () => {
  it('loads no package at all, so that the console can bundle it', () => {
    const { files, packages } = importsOf(join(__dirname, 'index.ts'));
    expect(packages).toEqual([]);
    expect(files.size).toBeGreaterThan(5);
  });

  it('is the same values the whole contracts lib exports', () => {
    for (const [name, value] of Object.entries(constants)) {
      expect({ name, value: (contracts as Record<string, unknown>)[name] }).toEqual({
        name,
        value,
      });
    }
  });
});
