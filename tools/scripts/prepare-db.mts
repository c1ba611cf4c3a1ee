/**
 * Creates the platform's database on the configured PostgreSQL server if it is missing
 * (`--fresh` drops it first: the test command starts from an empty database every run), then a
 * role per service owning that service's schema (libs/persistence/src/service-roles.ts), so
 * that each service can run as its own role. Each service runs its own migrations when it starts.
 * The URL is an administrator's (a superuser's). A role gets the password in
 * DB_PASSWORD_<SERVICE> (DB_PASSWORD_MAPPING, …) when that is set (the compose deployment), and
 * none otherwise (trust authentication on a development machine).
 *
 *   node tools/scripts/prepare-db.mts postgres://postgres@127.0.0.1:5432/smartship [--fresh]
 */
import pg from 'pg';

import {
  SERVICE_SCHEMAS,
  provisionServiceRoles,
} from '../../libs/persistence/src/service-roles.ts';

const [url, ...flags] = process.argv.slice(2);
const flag = flags.includes('--fresh') ? '--fresh' : undefined;
if (!url) {
  console.error('usage: prepare-db.mts <database url> [--fresh]');
  process.exit(2);
}
const target = new URL(url);
const name = decodeURIComponent(target.pathname.slice(1));
if (!/^[A-Za-z0-9_]+$/.test(name)) {
  console.error(`database name "${name}": use letters, digits and _ only`);
  process.exit(2);
}
const maintenance = new URL(url);
maintenance.pathname = '/postgres';
const client = new pg.Client({ connectionString: maintenance.toString() });
try {
  await client.connect();
} catch (error) {
  console.error(`postgres: cannot connect to ${maintenance.host}: ${(error as Error).message}`);
  console.error('Is the PostgreSQL server running? (see README, "Requirements")');
  process.exit(1);
}
try {
  if (flag === '--fresh') await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (found.rowCount === 0) {
    await client.query(`CREATE DATABASE "${name}"`);
    console.log(`postgres: created database ${name}`);
  } else {
    console.log(`postgres: database ${name} is there`);
  }
} finally {
  await client.end();
}

const admin = new pg.Client({ connectionString: url });
await admin.connect();
try {
  const passwords = Object.fromEntries(
    SERVICE_SCHEMAS.flatMap((service) => {
      const password = process.env[`DB_PASSWORD_${service.toUpperCase()}`];
      return password ? [[service, password]] : [];
    }),
  );
  await provisionServiceRoles(admin, name, passwords);
  console.log(`postgres: a role per service in ${name} (smartship_<service>, owning its schema)`);
} finally {
  await admin.end();
}
