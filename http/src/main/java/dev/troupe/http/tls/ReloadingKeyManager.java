package dev.troupe.http.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager whose certificate and key can be swapped while the server runs: new handshakes
 * present the current material on the same bound port; established connections keep theirs.
 *
 * <p>A handshake asks for an alias first and for the chain and the key of that alias afterwards.
 * The aliases handed out name the material's generation ({@code <generation>:<alias>}), so the
 * chain and the key always come from the same material even when a swap lands in between (the
 * previous generation stays resolvable).
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

  private static final String ALIAS = "troupe";

  /** The current generation and the one it replaced (null before the first swap). */
  private record Generations(Generation current, Generation previous) {}

  private record Generation(long number, PemKeyMaterial material, X509ExtendedKeyManager delegate) {
    String alias(String delegateAlias) {
      return delegateAlias == null ? null : number + ":" + delegateAlias;
    }
  }

  private final AtomicReference<Generations> generations;

  public ReloadingKeyManager(PemKeyMaterial initial) {
    this.generations = new AtomicReference<>(new Generations(new Generation(0, initial, delegateFor(initial)), null));
  }

  /** Presents {@code material} from the next handshake on. */
  public void swap(PemKeyMaterial material) {
    X509ExtendedKeyManager delegate = delegateFor(material);
    generations.updateAndGet(
        g -> new Generations(new Generation(g.current().number() + 1, material, delegate), g.current()));
  }

  public PemKeyMaterial material() {
    return current().material();
  }

  private Generation current() {
    return generations.get().current();
  }

  private static X509ExtendedKeyManager delegateFor(PemKeyMaterial material) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, material.privateKey(), new char[0], material.chain().toArray(X509Certificate[]::new));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, new char[0]);
      return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsSetupException("cannot build a key manager for the TLS material: " + e.getMessage(), e);
    }
  }

  /** The generation an alias names and the delegate's own alias; null for unknown aliases. */
  private Resolved resolve(String alias) {
    int colon = alias == null ? -1 : alias.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    long number;
    try {
      number = Long.parseLong(alias.substring(0, colon));
    } catch (NumberFormatException e) {
      return null;
    }
    Generations g = generations.get();
    for (Generation generation : new Generation[] {g.current(), g.previous()}) {
      if (generation != null && generation.number() == number) {
        return new Resolved(generation.delegate(), alias.substring(colon + 1));
      }
    }
    return null;
  }

  private record Resolved(X509ExtendedKeyManager delegate, String alias) {}

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    Generation generation = current();
    String[] aliases = generation.delegate().getServerAliases(keyType, issuers);
    if (aliases == null) {
      return null;
    }
    String[] named = new String[aliases.length];
    for (int i = 0; i < aliases.length; i++) {
      named[i] = generation.alias(aliases[i]);
    }
    return named;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    Generation generation = current();
    return generation.alias(generation.delegate().chooseServerAlias(keyType, issuers, socket));
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    Generation generation = current();
    return generation.alias(generation.delegate().chooseEngineServerAlias(keyType, issuers, engine));
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Resolved resolved = resolve(alias);
    return resolved == null ? null : resolved.delegate().getCertificateChain(resolved.alias());
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Resolved resolved = resolve(alias);
    return resolved == null ? null : resolved.delegate().getPrivateKey(resolved.alias());
  }
}
