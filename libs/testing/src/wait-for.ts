/**
 * Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`.
 * `explain` is asked on a timeout for what the failure message should add (the state that was
 * waited on), so that a run that failed on a busy machine says why.
 */
export async function waitFor<T>(
  description: string,
  check: () => Promise<T | undefined | false>,
  {
    timeoutMs = 30_000,
    intervalMs = 100,
    explain,
  }: { timeoutMs?: number; intervalMs?: number; explain?: () => Promise<string> } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const detail = explain
    ? await explain().catch((error: unknown) => `(explaining failed: ${String(error)})`)
    : '';
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${description}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ''}${detail ? `\n${detail}` : ''}`,
  );
}
