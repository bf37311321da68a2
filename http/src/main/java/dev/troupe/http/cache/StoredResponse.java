package dev.troupe.http.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the response cache keeps in a cache value: either a response (its headers and body; the
 * status is always 200 and the content type is the value's own) or, under the key without
 * {@code Vary} values, the names of the request headers the response varies on, which say where
 * the variants are.
 *
 * <p>Layout: the magic {@code TRC} and a kind byte ({@code R} or {@code V}); then, written with
 * {@link DataOutputStream}, a count and that many strings (header name and value pairs, or
 * names); for a response the body's bytes follow to the end.
 */
sealed interface StoredResponse {

  byte[] MAGIC = {'T', 'R', 'C'};

  /** A response header as stored. */
  record Header(String name, String value) {}

  /** A stored 200 response. */
  record Response(List<Header> headers, byte[] body) implements StoredResponse {
    public Response {
      headers = List.copyOf(headers);
    }
  }

  /** The request headers (lowercase names, sorted) the variants under this path differ by. */
  record Varies(List<String> names) implements StoredResponse {
    public Varies {
      names = List.copyOf(names);
    }
  }

  static byte[] encode(StoredResponse stored) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      if (stored instanceof Response response) {
        out.writeByte('R');
        out.writeInt(response.headers().size());
        for (Header header : response.headers()) {
          out.writeUTF(header.name());
          out.writeUTF(header.value());
        }
        out.write(response.body());
      } else if (stored instanceof Varies varies) {
        out.writeByte('V');
        out.writeInt(varies.names().size());
        for (String name : varies.names()) {
          out.writeUTF(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The stored response or vary record; empty for bytes this class did not write. */
  static Optional<StoredResponse> decode(byte[] value) {
    if (value.length < MAGIC.length + 1 || !Arrays.equals(value, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return Optional.empty();
    }
    ByteArrayInputStream bytes = new ByteArrayInputStream(value, MAGIC.length, value.length - MAGIC.length);
    try (DataInputStream in = new DataInputStream(bytes)) {
      byte kind = in.readByte();
      int count = in.readInt();
      if (count < 0 || count > 1000) {
        return Optional.empty();
      }
      if (kind == 'R') {
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          headers.add(new Header(in.readUTF(), in.readUTF()));
        }
        return Optional.of(new Response(headers, in.readAllBytes()));
      }
      if (kind == 'V') {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          names.add(in.readUTF());
        }
        return Optional.of(new Varies(names));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
