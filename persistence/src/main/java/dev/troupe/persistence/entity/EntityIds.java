package dev.troupe.persistence.entity;

import java.util.regex.Pattern;

/**
 * Entity ids are tenant-scoped from day one: the id an entity is sharded and persisted under is
 * {@code <tenant>:<id>}, so the same id in two tenants names two entities and no request can
 * reach another tenant's entity by choosing an id.
 *
 * <p>Ids come from URLs and would spawn entities and journal rows, so they are validated and
 * bounded here before anyone asks sharding.
 */
public final class EntityIds {

  /** Longest accepted id or tenant part. */
  public static final int MAX_PART_LENGTH = 128;

  private static final Pattern PART = Pattern.compile("[A-Za-z0-9._~-]{1," + MAX_PART_LENGTH + "}");
  private static final char SEPARATOR = ':';

  private EntityIds() {}

  public static boolean isValidPart(String part) {
    return part != null && PART.matcher(part).matches();
  }

  /**
   * The scoped id for an id within a tenant.
   *
   * @throws IllegalArgumentException if either part is empty, too long or has other characters
   *     than letters, digits, {@code . _ ~ -}
   */
  public static String scoped(String tenant, String id) {
    if (!isValidPart(tenant)) {
      throw new IllegalArgumentException("invalid tenant: must match " + PART.pattern());
    }
    if (!isValidPart(id)) {
      throw new IllegalArgumentException("invalid entity id: must match " + PART.pattern());
    }
    return tenant + SEPARATOR + id;
  }

  /** The tenant part of a scoped id. */
  public static String tenantOf(String scopedId) {
    return scopedId.substring(0, separatorIndex(scopedId));
  }

  /** The id within its tenant. */
  public static String localIdOf(String scopedId) {
    return scopedId.substring(separatorIndex(scopedId) + 1);
  }

  /** The persistence id of a scoped entity id, as {@code PersistenceId.of(type, id)} builds it. */
  public static String persistenceId(String entityType, String scopedId) {
    return entityType + "|" + scopedId;
  }

  private static int separatorIndex(String scopedId) {
    int i = scopedId.indexOf(SEPARATOR);
    if (i <= 0) {
      throw new IllegalArgumentException("not a tenant-scoped id: " + scopedId);
    }
    return i;
  }
}
