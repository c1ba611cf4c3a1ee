/** @jest-config-loader ts-node */
import type { Config } from 'jest';

import { base } from './jest.preset';

/** Unit tests: `*.spec.ts` beside the code. No broker, no database. */
const config: Config = {
  ...base,
  displayName: 'unit',
  testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'],
};

export default config;
