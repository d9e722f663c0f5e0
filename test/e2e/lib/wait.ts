// Bounded waiting: every wait in the e2e tests ends, with a message that says what did not happen.

/** Resolves or rejects with the promise, or rejects with `what` after `ms` milliseconds. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Like withTimeout, but a timeout resolves to undefined instead of rejecting (for best-effort cleanup). */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  try {
    return await withTimeout(promise, ms, 'cleanup');
  } catch {
    return undefined; // cleanup is best effort; the caller goes on to the next step
  }
}
