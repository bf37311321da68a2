package dev.troupe.http.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8}, {@code 127.0.0.1/32} or {@code
 * ::1/128}; a bare address is a block of one. Parsing never resolves host names.
 */
record Cidr(byte[] network, int prefix) {

  Cidr {
    network = network.clone();
  }

  /** Parses {@code address[/prefix]}; an unparseable block is a startup error. */
  static Cidr parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes =
        literal(address)
            .orElseThrow(() -> new IllegalArgumentException("not an IP address block: " + text));
    int prefix;
    try {
      prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an IP address block: " + text, e);
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("prefix out of range in " + text);
    }
    return new Cidr(bytes, prefix);
  }

  boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (candidate[full] & mask) == (network[full] & mask);
  }

  /**
   * The bytes of an IP literal, without any DNS lookup: IPv4 dotted quads and IPv6 (bracketed or
   * not); anything else (a host name, garbage, an {@code X-Forwarded-For} entry such as {@code
   * unknown}) is empty.
   */
  static Optional<byte[]> literal(String text) {
    String s = text.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.isEmpty() || s.length() > 45) {
      return Optional.empty();
    }
    if (s.indexOf(':') >= 0) {
      // InetAddress only skips DNS for literals; make sure this is one (hex, ':' and '.' only).
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
          return Optional.empty();
        }
      }
      try {
        return Optional.of(InetAddress.getByName(s).getAddress());
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].isEmpty()
          || parts[i].length() > 3
          || !parts[i].chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      int value = Integer.parseInt(parts[i]);
      if (value > 255) {
        return Optional.empty();
      }
      bytes[i] = (byte) value;
    }
    return Optional.of(bytes);
  }

  /** The address of an IP literal (no DNS), if it is one. */
  static Optional<InetAddress> address(String text) {
    return literal(text)
        .map(
            bytes -> {
              try {
                return InetAddress.getByAddress(bytes);
              } catch (UnknownHostException e) {
                throw new IllegalStateException(
                    e); // only for a wrong length, which literal() rules out
              }
            });
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      return "?/" + prefix;
    }
  }
}
