import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

import { adoptSchemaObjects } from './service-roles';

export interface ServiceDataSourceOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** The service's own schema: its tables, and its migrations table, live there. */
  schema: string;
  // TypeORM's own option types: entity classes and migration classes.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Connections in this process's pool. */
  poolSize?: number;
  /** Shown in pg_stat_activity, so an operator can tell the services apart. */
  applicationName?: string;
}

/**
 * TypeORM options every service uses: its own schema, its own migrations table inside that
 * schema, and never `synchronize` — the schema changes only through reviewed migrations.
 */
export function serviceDataSourceOptions(options: ServiceDataSourceOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? options.schema,
      // A connection that cannot be had in 10 s is an outage, not a slow query: fail and retry.
      connectionTimeoutMillis: 10_000,
    },
  };
}

/**
 * Creates the schema if needed and runs pending migrations. Several instances of a service may
 * start together: a session advisory lock keyed by the schema lets one migrate while the others
 * wait, then find nothing left to do.
 */
export async function migrateSchema(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    try {
      // Created only when missing: a service's role may not create schemas (the administrator
      // made its schema for it), and CREATE SCHEMA IF NOT EXISTS checks that right first.
      const found = (await runner.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
        schema,
      ])) as unknown[];
      if (found.length === 0) await runner.query(`CREATE SCHEMA "${schema}"`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      // Run by a superuser (the integration tests), the migrations' tables go to the schema's
      // owner, the service's role (service-roles.ts).
      await adoptSchemaObjects(runner, schema);
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]);
    }
  } finally {
    await runner.release();
  }
}

/** Opens a data source and brings its schema up to date: what every service does at boot. */
export async function openServiceDataSource(
  options: ServiceDataSourceOptions,
): Promise<DataSource> {
  const dataSource = new DataSource(serviceDataSourceOptions(options));
  await dataSource.initialize();
  try {
    await migrateSchema(dataSource, options.schema);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
