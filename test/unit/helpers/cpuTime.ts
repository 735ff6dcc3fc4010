/**
 * CPU time of a synchronous call, in milliseconds. The bounded-input tests assert on it rather than on wall time: the
 * machines they run on are shared, and another process's load must not fail a test that is about this code's work.
 */
export function cpuMillis<T>(run: () => T): { result: T; ms: number } {
  const before = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(before);
  return { result, ms: (used.user + used.system) / 1000 };
}
