/**
 * Retries `check` until it stops throwing or the time is up, then rethrows its last error.
 * For asserting on asynchronous outcomes (rows written, events consumed) without fixed sleeps.
 */
export async function expectEventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
