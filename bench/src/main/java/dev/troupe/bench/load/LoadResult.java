package dev.troupe.bench.load;

/**
 * What a closed-loop run measured in its window.
 *
 * @param ops successful operations that started and completed in the window
 * @param errors failed operations in the window
 * @param seconds length of the window
 * @param opsPerSec {@code ops / seconds}
 * @param p50Ms median latency
 * @param p99Ms 99th percentile latency
 * @param p999Ms 99.9th percentile latency
 * @param maxMs slowest operation
 * @param totalOk successful operations over the whole run, warm-up included
 * @param serverCpuSeconds CPU time the server processes (node, store) used in the window, or NaN
 * @param otherCpuSeconds CPU time the rest of the machine used in the window (competing work)
 * @param clientCpuSeconds CPU time the load generator itself used in the window (near the window
 *     length means the client, not the server, was the limit)
 * @param serverCpuMicrosPerOp {@code serverCpuSeconds} per successful operation, in microseconds
 * @param firstError the first failure seen (warm-up included), or null
 */
record LoadResult(
    long ops,
    long errors,
    double seconds,
    double opsPerSec,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    long totalOk,
    double serverCpuSeconds,
    double otherCpuSeconds,
    double clientCpuSeconds,
    double serverCpuMicrosPerOp,
    String firstError) {

  String summary() {
    return String.format(
        "%.0f/s p50 %.2f ms p99 %.2f ms (%d ops, %d errors; server CPU %.1f s = %.0f us/op; client CPU %.1f s; other CPU %.1f s)",
        opsPerSec, p50Ms, p99Ms, ops, errors, serverCpuSeconds, serverCpuMicrosPerOp, clientCpuSeconds, otherCpuSeconds);
  }
}
