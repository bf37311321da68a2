package dev.troupe.bench.load;

/**
 * How a closed loop spreads its work over entities: worker {@code w} of {@code C} owns entities
 * {@code w, w + C, w + 2C, ...} and cycles through them, so no two in-flight operations ever touch
 * the same entity (a Troupe entity has one write in flight; a raw row needs a unique sequence
 * number). Needs at least as many entities as workers.
 */
final class EntitySpread {

  /** The persistence id prefix of the bench entity: entity type {@code bench}, tenant {@code default}. */
  static final String BENCH_PERSISTENCE_PREFIX = "bench|default:";

  private final String prefix;
  private final int count;
  private final int concurrency;
  private final String persistencePrefix;

  EntitySpread(String prefix, int count, int concurrency) {
    this(prefix, count, concurrency, BENCH_PERSISTENCE_PREFIX);
  }

  /**
   * @param persistencePrefix what precedes the id in a raw row's persistence id (entity type and
   *     tenant, e.g. {@code cache-bucket|bench:}), so raw rows have the node's key sizes
   */
  EntitySpread(String prefix, int count, int concurrency, String persistencePrefix) {
    if (count < concurrency) {
      throw new IllegalArgumentException("--entities must be at least --concurrency");
    }
    this.prefix = prefix;
    this.count = count;
    this.concurrency = concurrency;
    this.persistencePrefix = persistencePrefix;
  }

  /** The entity id as the URL names it. */
  String id(int entity) {
    return prefix + "-" + entity;
  }

  /** The persistence id the node gives that entity ({@code bench|default:<id>} by default). */
  String persistenceId(int entity) {
    return persistencePrefix + id(entity);
  }

  int count() {
    return count;
  }

  Cursor cursor(int worker) {
    return new Cursor(worker);
  }

  /** One worker's position: which of its entities comes next, and their sequence numbers. */
  final class Cursor {
    private final int worker;
    private final long[] sequenceNrs;
    private int k;

    private Cursor(int worker) {
      this.worker = worker;
      this.sequenceNrs = new long[(count - worker + concurrency - 1) / concurrency];
    }

    int next() {
      int entity = worker + k * concurrency;
      k = (k + 1) % sequenceNrs.length;
      return entity;
    }

    long nextSequenceNr(int entity) {
      return ++sequenceNrs[(entity - worker) / concurrency];
    }
  }
}
