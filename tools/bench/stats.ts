import { readFileSync } from 'node:fs';

/** The q-quantile (0..1) of the values, nearest rank; NaN when there are none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

export function percentiles(values: number[]): Percentiles {
  return {
    p50: round(quantile(values, 0.5)),
    p99: round(quantile(values, 0.99)),
    max: round(quantile(values, 1)),
    count: values.length,
  };
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Resident memory of a process now and at its peak (VmRSS, VmHWM), in MiB; null once it ended. */
export function rssOf(pid: number): { rssMiB: number; peakMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMiB: round(kb('VmRSS') / 1024), peakMiB: round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/** CPU time a process used so far (user + system), in ms; null once it ended. */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Memory and CPU of one process over a measured run. */
export interface ProcessUsage {
  peakRssMiB: number;
  highWaterMiB: number;
  /** CPU time (user + system) used during the run, ms. */
  cpuMs: number;
}

/**
 * Samples the RSS (and CPU time) of named processes every `everyMs` while it runs; `peaks()` gives the highest
 * sample per name (and the kernel's own high-water mark, which also covers the start-up).
 */
export class RssSampler {
  private readonly peak = new Map<string, number>();
  private readonly hwm = new Map<string, number>();
  private readonly cpuAtStart = new Map<string, number>();
  private readonly cpuNow = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly pids: () => Record<string, number | undefined>) {}

  start(everyMs = 250): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    return this;
  }

  /** CPU time each process has used so far, ms (read now). */
  cpuNowMs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids())) {
      const cpu = pid ? cpuMsOf(pid) : null;
      if (cpu !== null) out[name] = cpu;
    }
    return out;
  }

  stop(): Record<string, ProcessUsage> {
    clearInterval(this.timer);
    this.sample();
    const out: Record<string, ProcessUsage> = {};
    for (const [name, peak] of this.peak) {
      out[name] = {
        peakRssMiB: peak,
        highWaterMiB: this.hwm.get(name) ?? peak,
        cpuMs: round((this.cpuNow.get(name) ?? 0) - (this.cpuAtStart.get(name) ?? 0)),
      };
    }
    return out;
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids())) {
      if (!pid) continue;
      const rss = rssOf(pid);
      if (!rss) continue;
      this.peak.set(name, Math.max(this.peak.get(name) ?? 0, rss.rssMiB));
      this.hwm.set(name, Math.max(this.hwm.get(name) ?? 0, rss.peakMiB));
      const cpu = cpuMsOf(pid);
      if (cpu !== null) {
        if (!this.cpuAtStart.has(name)) this.cpuAtStart.set(name, cpu);
        this.cpuNow.set(name, cpu);
      }
    }
  }
}

/** A plain-text table: one header row, columns padded to their widest cell. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => String(cell)))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)]
    .join('\n')
    .concat('\n');
}

export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
