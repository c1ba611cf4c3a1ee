/** Where the integration and system tests find Kafka and PostgreSQL (set by `npm test`). */
export interface TestInfrastructure {
  databaseUrl: string;
  kafkaBrokers: string[];
}

export function testInfrastructure(): TestInfrastructure {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const brokers = process.env.TEST_KAFKA_BROKERS;
  if (!databaseUrl || !brokers) {
    throw new Error(
      'TEST_DATABASE_URL and TEST_KAFKA_BROKERS are not set: run these tests through `npm test`, ' +
        'which starts Kafka and prepares the database',
    );
  }
  return { databaseUrl, kafkaBrokers: brokers.split(',') };
}

/** A short unique suffix so each test file gets its own groups, topics and schemas. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
