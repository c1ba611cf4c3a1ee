import type { Logger } from 'pino';

/**
 * Runs `work` every `intervalMs` (after the previous run ended, never two at once) until stopped.
 * `stop` aborts the signal handed to `work` and waits for the run in progress.
 */
export class TickLoop {
  private readonly abort = new AbortController();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: (signal: AbortSignal) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  start(firstInMs = Math.min(1_000, this.intervalMs)): void {
    this.schedule(firstInMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.abort.abort(new Error(`${this.name}: the instance is shutting down`));
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.running = this.work(this.abort.signal)
        .catch((error: unknown) =>
          this.logger.warn(
            { err: (error as Error).message },
            `${this.name} failed; next tick retries`,
          ),
        )
        .finally(() => this.schedule(this.intervalMs));
    }, delayMs);
  }
}
