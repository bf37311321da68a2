package dev.troupe.persistence.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component (password or key hash, token, ...) that audit output must never show.
 *
 * <p>The journal still stores it; only the audit renderer replaces it with {@code "[redacted]"}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface Secret {}
