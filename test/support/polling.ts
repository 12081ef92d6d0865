const POLL_MS = 50;
const DEADLINE_MS = 20_000;

/**
 * Polls `check` until it holds, for a bounded time; fails naming `what` otherwise. `intervalMs`
 * spaces the checks, for checks that act (send a probe) as well as look.
 */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  deadlineMs = DEADLINE_MS,
  intervalMs = POLL_MS,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
