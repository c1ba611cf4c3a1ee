import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

/**
 * The private PostgreSQL cluster of `npm run chaos` and the chaos system test (tools/chaos/pg.sh)
 * must work wherever the clone is: a newcomer working as root in /root (mode 0700) or in a
 * `mktemp -d` folder, in a path with a space. The script is run here from such a folder, as the
 * user that runs `npm test`, exactly as the chaos run calls it.
 */
const root = join(__dirname, '..', '..', '..');
const port = 55_498;
let privateFolder: string;
let script: string;

const run = (action: string, env: Record<string, string> = {}) =>
  spawnSync('bash', [script, action], {
    cwd: join(privateFolder, 'my clone'),
    env: { ...process.env, CHAOS_PG_PORT: String(port), ...env },
    encoding: 'utf8',
  });

beforeAll(() => {
  privateFolder = mkdtempSync(join(tmpdir(), 'smartship-private-'));
  chmodSync(privateFolder, 0o700);
  mkdirSync(join(privateFolder, 'my clone', 'tools', 'chaos'), { recursive: true });
  script = join(privateFolder, 'my clone', 'tools', 'chaos', 'pg.sh');
  copyFileSync(join(root, 'tools', 'chaos', 'pg.sh'), script);
});

afterAll(() => {
  run('remove');
  rmSync(privateFolder, { recursive: true, force: true });
});

it('starts, crashes, restarts and removes its cluster from a clone inside a private folder', async () => {
  const dir = run('where').stdout.trim();
  expect(dir.startsWith(privateFolder)).toBe(false);

  const started = run('start', { CHAOS_PG_FRESH: '1' });
  expect({ status: started.status, stderr: started.stderr }).toEqual({ status: 0, stderr: '' });
  expect(started.stdout).toContain(`127.0.0.1:${port}`);

  const query = async () => {
    const client = new Client({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    });
    await client.connect();
    try {
      return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one;
    } finally {
      await client.end();
    }
  };
  expect(await query()).toBe(1);

  expect(run('crash').status).toBe(0);
  expect(run('start').status).toBe(0);
  expect(await query()).toBe(1);

  const keptLog = join(privateFolder, 'logs', 'postgres.log');
  const removed = run('remove', { CHAOS_PG_KEEP_LOG: keptLog });
  expect(removed.status).toBe(0);
  expect(existsSync(dir)).toBe(false);
  expect(existsSync(keptLog)).toBe(true);
});

it('refuses a cluster directory the PostgreSQL user cannot reach and says what to do', () => {
  const unreachable = join(privateFolder, 'cluster');
  const result = run('start', { CHAOS_PG_DIR: unreachable });
  if (process.getuid?.() === 0) {
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`cannot enter or write ${unreachable}`);
    expect(result.stderr).toContain('leave CHAOS_PG_DIR unset');
  } else {
    // An ordinary user runs the cluster as themself, and can reach their own private folder.
    expect(result.status).toBe(0);
    expect(run('remove', { CHAOS_PG_DIR: unreachable }).status).toBe(0);
  }
});
