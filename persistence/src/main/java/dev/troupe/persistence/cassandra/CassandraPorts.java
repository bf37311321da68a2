package dev.troupe.persistence.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Probes ports on {@link CassandraServer#HOST} before a server is started on them. */
final class CassandraPorts {

  private CassandraPorts() {}

  /** {@code count} distinct free ports, probed by binding port 0. */
  static int[] free(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      // All sockets stay open until every port is picked, so the ports are distinct.
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(CassandraServer.HOST));
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free ports", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // Closing a probe socket cannot matter.
        }
      }
    }
  }

  /**
   * Fails if {@code port} cannot be bound now.
   *
   * @throws IllegalStateException whose message says the port "is taken"
   */
  static void requireFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(CassandraServer.HOST, port));
    } catch (IOException e) {
      throw new IllegalStateException(
          "port " + port + " on " + CassandraServer.HOST + " is taken", e);
    }
  }
}
