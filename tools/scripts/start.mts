/**
 * `npm start`: builds the services, starts Kafka, prepares the database, starts every service
 * and the Rakuten simulator, waits until each is ready, then prints where everything is.
 * Ctrl-C stops everything it started, services first, then Kafka.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const logDir = join(root, '.data', 'logs');

/** Variables from .env (if present) override these defaults; the shell's own override both. */
const env: Record<string, string> = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/smartship',
  KAFKA_PORT: '19092',
  ...readDotEnv(join(root, '.env')),
  ...(process.env as Record<string, string>),
};
env.KAFKA_BROKERS ??= `127.0.0.1:${env.KAFKA_PORT}`;

const services = [
  { name: 'rakuten-sim', port: 3200 },
  { name: 'credentials', port: 3101 },
  { name: 'ingestion', port: 3102 },
  { name: 'mapping', port: 3103 },
  { name: 'fulfillment', port: 3104 },
  { name: 'gateway', port: 3000 },
];

const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function readDotEnv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) values[match[1]] = match[2].replace(/^["']|["']$/g, '');
  }
  return values;
}

function step(title: string, command: string, args: string[]): void {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}

async function waitReady(name: string, port: number, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const entry = children.find((c) => c.name === name);
    if (entry && entry.child.exitCode !== null) {
      throw new Error(
        `${name} exited with ${entry.child.exitCode}; see ${join(logDir, `${name}.log`)}`,
      );
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `${name} not ready after ${timeoutMs / 1000} s; see ${join(logDir, `${name}.log`)}`,
  );
}

async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  console.log('\n▶ stopping services…');
  // Reverse order: the gateway first, the simulator last.
  for (const { name, child } of [...children].reverse()) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    const exited = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 20_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!exited) child.kill('SIGKILL');
    console.log(`  ${name} stopped`);
  }
  spawnSync('bash', ['tools/kafka/kafka.sh', 'stop'], { cwd: root, env, stdio: 'inherit' });
  process.exit(code);
}

async function main(): Promise<void> {
  step('building the services', 'nx', ['run-many', '-t', 'build', '--parallel=2']);
  step('starting Kafka', 'bash', ['tools/kafka/kafka.sh', 'start']);
  step('preparing the database', 'node', ['tools/scripts/prepare-db.mts', env.DATABASE_URL]);

  mkdirSync(logDir, { recursive: true });
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  console.log('\n▶ starting services (JSON logs in .data/logs/)');
  for (const { name } of services) {
    const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
    const child = spawn('node', [join('dist', 'apps', name, 'apps', name, 'src', 'main.js')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(`✖ ${name} exited (${signal ?? code}); see .data/logs/${name}.log`);
        void stopAll(1);
      }
    });
    children.push({ name, child });
  }
  for (const { name, port } of services) {
    await waitReady(name, port);
    console.log(`  ✔ ${name} ready on http://127.0.0.1:${port}`);
  }

  const ping = await fetch('http://127.0.0.1:3000/api/v1/system/ping');
  console.log(
    `  ✔ gateway reaches the services over TCP: ${ping.status === 200 ? 'all' : await ping.text()}`,
  );

  console.log(`
Smartship is running.
  Gateway API        http://127.0.0.1:3000/api/v1
  API docs (OpenAPI) http://127.0.0.1:3000/api/docs
  Service ping       http://127.0.0.1:3000/api/v1/system/ping
  Health             http://127.0.0.1:<port>/health/live and /health/ready
                     (gateway 3000, credentials 3101, ingestion 3102, mapping 3103,
                      fulfillment 3104, rakuten-sim 3200)
  Metrics            http://127.0.0.1:<port>/metrics
  Rakuten simulator  http://127.0.0.1:3200
  Kafka              ${env.KAFKA_BROKERS}
  Logs               .data/logs/<service>.log
Press Ctrl-C to stop everything.`);
}

main().catch((error: unknown) => {
  console.error(`✖ ${(error as Error).message}`);
  void stopAll(1);
});
