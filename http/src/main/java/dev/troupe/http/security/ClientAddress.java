package dev.troupe.http.security;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is on the other end of a request: the TCP peer (Pekko's {@code remote-address-attribute}),
 * or, only when that peer is a configured trusted proxy, the first address in {@code
 * X-Forwarded-For} walking from the right that is not itself a trusted proxy. A client cannot
 * choose its address by sending {@code X-Forwarded-For} (Pekko's {@code extractClientIP} would
 * believe it; do not use that directive for limits).
 *
 * <p>The edge stores the result as a request attribute; read it with {@link #of}.
 */
public final class ClientAddress {

  /** At most this many {@code X-Forwarded-For} entries are looked at (from the right). */
  static final int MAX_HOPS = 20;

  /** The address the edge resolved, stored on every request. */
  static final AttributeKey<String> ATTRIBUTE =
      AttributeKey.create("troupe-client-address", String.class);

  /** What is used when the peer address is unknown (no attribute: a test harness, not a server). */
  public static final String UNKNOWN = "unknown";

  private static final Logger log = LoggerFactory.getLogger(ClientAddress.class);

  private final List<Cidr> trustedProxies;
  private final AtomicBoolean warnedNoPeer = new AtomicBoolean();

  ClientAddress(List<Cidr> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /**
   * The client address the edge resolved for this request; before the edge ran (or with the
   * protections switched off) the peer address.
   */
  public static String of(HttpRequest request) {
    return request
        .getAttribute(ATTRIBUTE)
        .orElseGet(() -> peer(request).map(InetAddress::getHostAddress).orElse(UNKNOWN));
  }

  /**
   * Resolves the client address of a request. Without the peer address (the server's {@code
   * remote-address-attribute} switched off) every client is {@link #UNKNOWN} and shares one set of
   * per-address buckets and connection counts: that is logged once, as a warning.
   */
  String resolve(HttpRequest request) {
    Optional<InetAddress> peer = peer(request);
    if (peer.isEmpty()) {
      if (warnedNoPeer.compareAndSet(false, true)) {
        log.warn(
            "requests carry no peer address (pekko.http.server.remote-address-attribute = off?):"
                + " all clients share the per-address rate limits and connection caps");
      }
      return UNKNOWN;
    }
    if (!isTrusted(peer.get())) {
      return peer.get().getHostAddress();
    }
    List<String> forwarded = new ArrayList<>();
    for (HttpHeader header : request.getHeaders()) {
      if (header.is("x-forwarded-for")) {
        forwarded.add(header.value());
      }
    }
    return fromForwarded(peer.get(), forwarded).getHostAddress();
  }

  /**
   * Walks the {@code X-Forwarded-For} entries (all headers, in order) from the right: the first
   * entry that is not a trusted proxy is the client; an entry that is not an IP literal stops the
   * walk (the hop before it cannot be trusted to have written it), answering the last trusted hop;
   * when every entry is trusted, the leftmost one.
   */
  InetAddress fromForwarded(InetAddress peer, List<String> headers) {
    List<String> entries = new ArrayList<>();
    for (String header : headers) {
      for (String part : header.split(",")) {
        if (!part.isBlank()) {
          entries.add(part.trim());
        }
      }
    }
    InetAddress client = peer;
    int looked = 0;
    for (int i = entries.size() - 1; i >= 0 && looked < MAX_HOPS; i--, looked++) {
      Optional<InetAddress> hop = Cidr.address(stripPort(entries.get(i)));
      if (hop.isEmpty()) {
        return client;
      }
      client = hop.get();
      if (!isTrusted(client)) {
        return client;
      }
    }
    return client;
  }

  /**
   * The rate-limit key of a client address: the address itself for IPv4, its /64 network for IPv6
   * (one subscriber usually holds a whole /64, so per-address buckets would be free to rotate).
   */
  static String rateKey(String client) {
    if (client.indexOf(':') < 0) {
      return client;
    }
    return Cidr.literal(client)
        .filter(bytes -> bytes.length == 16)
        .map(
            bytes -> {
              StringBuilder key = new StringBuilder();
              for (int i = 0; i < 8; i += 2) {
                key.append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF)))
                    .append(':');
              }
              return key.append(":/64").toString();
            })
        .orElse(client);
  }

  boolean isTrusted(InetAddress address) {
    for (Cidr cidr : trustedProxies) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** {@code 1.2.3.4:5678} and {@code [::1]:5678} as some proxies write them; IPv6 left as is. */
  private static String stripPort(String entry) {
    if (entry.startsWith("[")) {
      int end = entry.indexOf(']');
      return end > 0 ? entry.substring(1, end) : entry;
    }
    int colon = entry.indexOf(':');
    if (colon > 0 && entry.indexOf(':', colon + 1) < 0) {
      return entry.substring(0, colon);
    }
    return entry;
  }

  private static Optional<InetAddress> peer(HttpRequest request) {
    return request.getAttribute(AttributeKeys.remoteAddress).flatMap(a -> a.getAddress());
  }
}
