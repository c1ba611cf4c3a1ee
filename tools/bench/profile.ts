import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/*
 * BENCH_PROFILE=1: every service runs under V8's sampling profiler (`node --cpu-prof`), which
 * writes one .cpuprofile per process when it exits (the bench stops the services with SIGTERM,
 * and they exit normally). The summary groups self time by where the code lives — a package in
 * node_modules, the project's own code, node's internals, the garbage collector — because
 * "which library eats the CPU" is the question a bottleneck hunt starts with. The files open in
 * Chrome DevTools or speedscope for the detail.
 */

export const PROFILE_DIR = join(__dirname, '..', '..', '.data', 'bench', 'profiles');

/** node options for one service: a profile named after it, in PROFILE_DIR. */
export function profileArgs(name: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`];
}

/** Empties PROFILE_DIR before a run. */
export function resetProfiles(): void {
  rmSync(PROFILE_DIR, { recursive: true, force: true });
  mkdirSync(PROFILE_DIR, { recursive: true });
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function's code lives: `pkg:<name>`, `project`, `node`, or a V8 pseudo-frame. */
export function placeOf(url: string, functionName: string): string {
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const parts = url.slice(inModules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (
    url.startsWith('node:') ||
    (url === '' && functionName !== '' && !functionName.startsWith('('))
  )
    return 'node internals';
  if (url === '') return functionName || '(anonymous)';
  return 'project code';
}

/** Self time per place, in ms, largest first. */
export function selfTimeByPlace(profile: CpuProfile): [string, number][] {
  const placeOfNode = new Map(
    profile.nodes.map((n) => [n.id, placeOf(n.callFrame.url, n.callFrame.functionName)]),
  );
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const place = placeOfNode.get(id) ?? '?';
    totals.set(place, (totals.get(place) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

/** One block per profile: the top places by self time with their share of the samples. */
export function summarizeProfiles(top = 8): string {
  if (!existsSync(PROFILE_DIR)) return 'no profiles written';
  const blocks: string[] = [];
  for (const file of readdirSync(PROFILE_DIR)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()) {
    const profile = JSON.parse(readFileSync(join(PROFILE_DIR, file), 'utf8')) as CpuProfile;
    const places = selfTimeByPlace(profile);
    const idle = places.find(([place]) => place === '(idle)')?.[1] ?? 0;
    const busy = places.filter(([place]) => place !== '(idle)');
    const total = busy.reduce((sum, [, ms]) => sum + ms, 0);
    const lines = busy
      .slice(0, top)
      .map(([place, ms]) => `    ${(100 * (ms / total)).toFixed(1).padStart(5)}%  ${place}`);
    blocks.push(
      `  ${file.replace('.cpuprofile', '')}: ${Math.round(total)} ms on CPU, ${Math.round(idle)} ms idle\n${lines.join('\n')}`,
    );
  }
  return blocks.length > 0 ? blocks.join('\n') : 'no profiles written';
}
