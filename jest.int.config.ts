/** @jest-config-loader ts-node */
import type { Config } from 'jest';

import { base } from './jest.preset';

/**
 * Integration tests: `*.int-spec.ts`, against the real Kafka and PostgreSQL that `npm test`
 * starts (TEST_KAFKA_BROKERS, TEST_DATABASE_URL). They fail, not skip, when those are missing.
 */
const config: Config = {
  ...base,
  displayName: 'integration',
  testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
  testTimeout: 120_000,
  testSequencer: '<rootDir>/tools/jest/integration-sequencer.js',
};

export default config;
