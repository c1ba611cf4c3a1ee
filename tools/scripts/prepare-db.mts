/**
 * Creates the platform's database on the configured PostgreSQL server if it is missing
 * (`--fresh` drops it first: the test command starts from an empty database every run).
 * Each service then creates its own schema and runs its own migrations when it starts.
 *
 *   node tools/scripts/prepare-db.mts postgres://postgres@127.0.0.1:5432/smartship [--fresh]
 */
import pg from 'pg';

const [url, flag] = process.argv.slice(2);
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
