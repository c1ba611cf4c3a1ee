import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { isServiceSchema, serviceDatabaseUrl } from '@smartship/persistence';

import { SERVICE_NODE_OPTIONS } from './node-options';

const ROOT = join(__dirname, '..', '..', '..');

export interface ServiceProcessOptions {
  /** App name under apps/ (built into dist/ by `nx run-many -t build`). */
  app: string;
  env: Record<string, string>;
  /** Port of its HTTP server, for /health/ready. */
  httpPort: number;
  /** Where its stdout and stderr go; defaults to test-output/<app>-<port>.log. */
  logFile?: string;
  /** Options for node itself, before the script (e.g. `--cpu-prof` for the bench's profiles). */
  nodeArgs?: string[];
}

/**
 * The environment a service process gets: with TEST_SERVICE_ROLES=1 (npm test's system tier), a
 * service with a schema of its own connects as its own role (libs/persistence/src/
 * service-roles.ts) instead of the administrator the test itself uses.
 */
export function serviceEnv(app: string, env: Record<string, string>): Record<string, string> {
  if (process.env.TEST_SERVICE_ROLES !== '1' || !env.DATABASE_URL || !isServiceSchema(app)) {
    return env;
  }
  return { ...env, DATABASE_URL: serviceDatabaseUrl(env.DATABASE_URL, app) };
}

/**
 * A built service run as a real process, as in production: the system tests start, SIGKILL and
 * restart them.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  readonly logFile: string;

  constructor(private readonly options: ServiceProcessOptions) {
    this.logFile =
      options.logFile ?? join(ROOT, 'test-output', `${options.app}-${options.httpPort}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and waits until /health/ready answers 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    mkdirSync(join(this.logFile, '..'), { recursive: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const main = join(
      ROOT,
      'dist',
      'apps',
      this.options.app,
      'apps',
      this.options.app,
      'src',
      'main.js',
    );
    const child = spawn(process.execPath, [...(this.options.nodeArgs ?? []), main], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_OPTIONS: SERVICE_NODE_OPTIONS,
        ...serviceEnv(this.options.app, this.options.env),
        HTTP_PORT: String(this.options.httpPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `${this.options.app} exited during start (${child.exitCode ?? child.signalCode}); see ${this.logFile}`,
        );
      }
      try {
        const response = await fetch(`http://127.0.0.1:${this.options.httpPort}/health/ready`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${this.options.app} not ready within ${timeoutMs} ms; see ${this.logFile}`);
  }

  /** SIGKILL: no shutdown hook runs, as in a crash or an OOM kill. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /**
   * SIGTERM and wait: the orderly shutdown path. Resolves with how the process ended (a clean
   * shutdown ends with the signal it was sent, after the shutdown hooks ran).
   */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.signal('SIGTERM');
  }

  private async signal(
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child) return { code: null, signal: null };
    if (child.exitCode !== null || child.signalCode !== null) {
      return { code: child.exitCode, signal: child.signalCode };
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, sig) => resolve({ code, signal: sig })),
    );
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const result = await exited;
    clearTimeout(timer);
    return result;
  }
}
