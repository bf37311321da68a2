package dev.troupe.http.tls;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The node's PEM reloader, if its HTTP server runs in pem mode: lets operators' tooling and tests
 * see that polls complete and changed files are refused ({@link PemReloader#checks()}, {@link
 * PemReloader#rejections()}).
 */
public final class PemReloads implements Extension {

  private final AtomicReference<PemReloader> reloader = new AtomicReference<>();

  private PemReloads() {}

  public static PemReloads get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public Optional<PemReloader> reloader() {
    return Optional.ofNullable(reloader.get());
  }

  void register(PemReloader pemReloader) {
    reloader.set(pemReloader);
  }

  private static final class Id extends ExtensionId<PemReloads> {
    static final Id INSTANCE = new Id();

    @Override
    public PemReloads createExtension(ActorSystem<?> system) {
      return new PemReloads();
    }
  }
}
