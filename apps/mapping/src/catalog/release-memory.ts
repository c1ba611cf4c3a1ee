/**
 * An import leaves tens of MiB of garbage between its steps (the file's rows once they are SKUs,
 * the SKUs once they are written) that V8 would keep, and grow its heap over, until its own
 * heuristics decide to collect. With node's `--expose-gc` (in SERVICE_NODE_OPTIONS) the import
 * asks for one full collection after reading the file, after writing it and after the job: the service's peak
 * stays near the import's live data. Imports are rare (a person's upload); a collection takes
 * tens of milliseconds. Without the flag this does nothing.
 */
export function releaseMemory(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}
