/** @jest-config-loader ts-node */
import type { Config } from 'jest';

import { base } from './jest.preset';

/**
 * System tests: the built services run as real processes, driven through Kafka, the gateway
 * and the Rakuten simulator.
 */
const config: Config = {
  ...base,
  displayName: 'system',
  testMatch: ['<rootDir>/apps/system-tests/**/*.system-spec.ts'],
  testTimeout: 600_000,
};

export default config;
