package dev.troupe.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load: {@code concurrency} threads, each doing one operation at a time, back to
 * back, for a warm-up and then a measured window. Every figure the bench compares (Troupe over
 * HTTP, raw JDBC, raw CQL) goes through this same loop, so they differ only in the operation.
 */
final class ClosedLoop {

  /** One worker's operation; a thrown exception counts as an error and the worker goes on. */
  @FunctionalInterface
  interface Operation {
    void run() throws Exception;

    /** Releases the worker's connection once the run is over. */
    default void close() throws Exception {}

    /** An operation that closes {@code resource} at the end of the run. */
    static Operation closing(AutoCloseable resource, Operation operation) {
      return new Operation() {
        @Override
        public void run() throws Exception {
          operation.run();
        }

        @Override
        public void close() throws Exception {
          resource.close();
        }
      };
    }
  }

  /** Creates worker {@code index}'s operation (its connection, its entities). */
  @FunctionalInterface
  interface OperationFactory {
    Operation create(int index) throws Exception;
  }

  private ClosedLoop() {}

  static LoadResult run(int concurrency, Duration warmup, Duration measure, OperationFactory factory)
      throws Exception {
    return run(concurrency, warmup, measure, factory, null);
  }

  /**
   * @param cpu if not null, started when the measured window opens and stopped when it closes;
   *     its CPU seconds go into the result
   */
  static LoadResult run(
      int concurrency, Duration warmup, Duration measure, OperationFactory factory, CpuMeter cpu)
      throws Exception {
    List<Operation> operations = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      operations.add(factory.create(i));
    }
    long start = System.nanoTime() + Duration.ofMillis(50).toNanos();
    long measureFrom = start + warmup.toNanos();
    long measureTo = measureFrom + measure.toNanos();
    Worker[] workers = new Worker[concurrency];
    CountDownLatch done = new CountDownLatch(concurrency);
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    for (int i = 0; i < concurrency; i++) {
      Worker worker = new Worker(operations.get(i), start, measureFrom, measureTo, firstError);
      workers[i] = worker;
      Thread thread =
          new Thread(
              () -> {
                try {
                  worker.loop();
                } finally {
                  done.countDown();
                }
              },
              "load-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    if (cpu != null) {
      sleepUntil(measureFrom);
      cpu.start();
      sleepUntil(measureTo);
      cpu.stop();
    }
    done.await();
    for (Operation operation : operations) {
      try {
        operation.close();
      } catch (Exception e) {
        // Closing a client connection after the run cannot change the figures.
      }
    }
    long ops = 0;
    long errors = 0;
    long totalOk = 0;
    int n = 0;
    for (Worker w : workers) {
      ops += w.ops;
      errors += w.errors;
      totalOk += w.totalOk;
      n += w.count;
    }
    long[] all = new long[n];
    int at = 0;
    for (Worker w : workers) {
      System.arraycopy(w.latencies, 0, all, at, w.count);
      at += w.count;
    }
    Arrays.sort(all);
    double seconds = measure.toNanos() / 1e9;
    Throwable error = firstError.get();
    double cpuSeconds = cpu == null ? Double.NaN : cpu.seconds();
    return new LoadResult(
        ops,
        errors,
        seconds,
        ops / seconds,
        percentileMs(all, 0.50),
        percentileMs(all, 0.99),
        percentileMs(all, 0.999),
        all.length == 0 ? 0 : all[all.length - 1] / 1e6,
        totalOk,
        cpuSeconds,
        cpu == null ? Double.NaN : cpu.otherSeconds(),
        cpu == null ? Double.NaN : cpu.selfSeconds(),
        ops == 0 || Double.isNaN(cpuSeconds) ? Double.NaN : cpuSeconds * 1e6 / ops,
        error == null ? null : error.toString());
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, left / 1_000_000), 0);
    }
  }

  private static double percentileMs(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static final class Worker {
    private final Operation operation;
    private final long start;
    private final long measureFrom;
    private final long measureTo;
    private final AtomicReference<Throwable> firstError;
    long ops;
    long errors;
    long totalOk;
    long[] latencies = new long[8192];
    int count;

    Worker(Operation operation, long start, long measureFrom, long measureTo, AtomicReference<Throwable> firstError) {
      this.operation = operation;
      this.start = start;
      this.measureFrom = measureFrom;
      this.measureTo = measureTo;
      this.firstError = firstError;
    }

    void loop() {
      while (System.nanoTime() < start) {
        Thread.onSpinWait();
      }
      while (true) {
        long t0 = System.nanoTime();
        if (t0 >= measureTo) {
          return;
        }
        boolean ok;
        try {
          operation.run();
          ok = true;
          totalOk++;
        } catch (Throwable e) {
          ok = false;
          firstError.compareAndSet(null, e);
        }
        long t1 = System.nanoTime();
        // An operation counts if it started in the window and completed within it.
        if (t0 >= measureFrom && t1 <= measureTo) {
          if (ok) {
            ops++;
            if (count == latencies.length) {
              latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = t1 - t0;
          } else {
            errors++;
          }
        }
        if (!ok) {
          // Do not spin on a dead server.
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }
}
