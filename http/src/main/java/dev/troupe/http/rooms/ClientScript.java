package dev.troupe.http.rooms;

import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** STUB (helper D implements): serves the JavaScript rooms client, publicly, at /client/troupe.js. */
public final class ClientScript extends AllDirectives {

  public Route route() {
    return reject();
  }
}
