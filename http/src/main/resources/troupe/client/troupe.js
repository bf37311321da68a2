/*
 * Troupe rooms client: one WebSocket that multiplexes rooms, reconnects with exponential backoff
 * and jitter, and resumes every joined room from the last offset it saw, so a reconnect loses and
 * repeats nothing. Plain ES2017, no build step: load it with
 *
 *   <script src="/client/troupe.js"></script>
 *
 *   const rooms = new TroupeRooms({
 *     url: "wss://host/ws",                       // default: ws(s)://<this page's host>/ws
 *     token: async () => accessToken,             // asked before every (re)connect, or instead:
 *     ticket: TroupeRooms.cookieTicket(),         // a single-use ticket per (re)connect (cookie login)
 *     onStatus: s => console.log(s.state),        // connecting | open | reconnecting | idle | stopped | closed
 *   });
 *   const lobby = rooms.join("lobby", {
 *     since: 0,                                   // optional: resume after this offset (0 = all kept history)
 *     onMessage: m => ...,                        // {room, offset, sender, timestamp, body}; each offset once, in order
 *     onPresence: (view, change) => ...,          // view = {users: {user: [meta]}, count, connections, truncated}
 *     onSignal: s => ...,                         // {room, sender, body}
 *     onClosed: why => ...,                       // {room, reason: "closed" | "kicked" | "banned" | "not_found" | ...}
 *     onError: e => ...,                          // error frames about this room that did not end it
 *   });
 *   await lobby.ready;                            // resolves with the head offset at the first join
 *   const ack = await lobby.post({text: "hi"});   // {room, offset, sender, timestamp}
 *   // A post rejected with `disconnected` may have been stored: retry it with its key
 *   // (error.key), and the server answers the first post's result instead of posting again.
 *   await lobby.post({text: "hi"}, {key: error.key});
 *   lobby.signal({typing: true});
 *   await lobby.leave();
 *
 * The bearer token travels in the WebSocket subprotocol list ("troupe.bearer.<token>"), never in
 * the URL. A browser logged in with the session cookie (`POST /auth/login {"cookie": true}`) uses
 * `ticket` instead: a fresh single-use ticket from `POST /auth/ws-ticket` (30 s) before every
 * (re)connect, sent as `/ws?ticket=`. After `session_revoked` or `session_expired` the client stops; after `kicked`, `banned`, `not_member` or a
 * closed room only that room stops; after `slow_consumer` or a lost connection it reconnects.
 */
(function (root) {
  "use strict";

  var PROTOCOL = "troupe.v1";
  var BEARER_PREFIX = "troupe.bearer.";
  /** Error codes that end a room for this client (it is not joined again on reconnect). */
  var ROOM_ENDING = { kicked: 1, banned: 1, not_member: 1, not_found: 1, forbidden: 1, closed: 1 };
  /** Error codes that end the whole client. */
  var CLIENT_ENDING = { session_revoked: 1, session_expired: 1 };

  function RoomsError(code, message, frame) {
    var error = new Error(message || code);
    error.name = "RoomsError";
    error.code = code;
    error.frame = frame || null;
    return error;
  }

  function defaultUrl() {
    if (typeof location === "undefined") {
      throw new Error("TroupeRooms: pass {url}");
    }
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
  }

  function noop() {}

  /** The value of a cookie scripts may read (the CSRF cookie), or "". */
  function readCookie(name) {
    var all = "";
    try {
      all = typeof document === "undefined" ? "" : document.cookie || "";
    } catch (denied) {
      return ""; // a page without an origin (about:blank, data:) has no cookies
    }
    var parts = all.split(";");
    for (var i = 0; i < parts.length; i++) {
      var pair = parts[i].trim();
      if (pair.indexOf(name + "=") === 0) return decodeURIComponent(pair.substring(name.length + 1));
    }
    return "";
  }

  /** A random id of letters and digits. */
  function randomId() {
    var crypto = root.crypto;
    if (crypto && typeof crypto.getRandomValues === "function") {
      var bytes = new Uint32Array(4);
      crypto.getRandomValues(bytes);
      var id = "";
      for (var i = 0; i < bytes.length; i++) id += bytes[i].toString(36);
      return id;
    }
    return Date.now().toString(36) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }

  /**
   * The presence of one room as this client knows it: users to their connections' metas. Built
   * from `presence_state` (replaces all) and `presence_diff` (adds joins, drops leaves by
   * connection id).
   */
  function Presence() {
    this.users = {};
    this.count = 0;
    this.connections = 0;
    this.truncated = false;
  }

  Presence.prototype.reset = function (frame) {
    this.users = {};
    var users = frame.users || {};
    for (var user in users) {
      if (Object.prototype.hasOwnProperty.call(users, user)) {
        this.users[user] = (users[user] || []).slice();
      }
    }
    this.truncated = !!frame.truncated;
    this.updateCounts(frame);
  };

  Presence.prototype.apply = function (frame) {
    var leaves = frame.leaves || {};
    var joins = frame.joins || {};
    var user;
    for (user in leaves) {
      if (!Object.prototype.hasOwnProperty.call(leaves, user) || !this.users[user]) continue;
      var gone = {};
      (leaves[user] || []).forEach(function (meta) {
        gone[meta && meta.connection] = true;
      });
      var kept = this.users[user].filter(function (meta) {
        return !gone[meta && meta.connection];
      });
      if (kept.length === 0 || (leaves[user] || []).length === 0) {
        delete this.users[user];
      } else {
        this.users[user] = kept;
      }
    }
    for (user in joins) {
      if (!Object.prototype.hasOwnProperty.call(joins, user)) continue;
      var metas = this.users[user] || [];
      (joins[user] || []).forEach(function (meta) {
        var known = metas.some(function (m) {
          return m && meta && m.connection === meta.connection;
        });
        if (!known) metas.push(meta);
      });
      this.users[user] = metas;
    }
    this.updateCounts(frame);
  };

  Presence.prototype.updateCounts = function (frame) {
    this.count = typeof frame.count === "number" ? frame.count : Object.keys(this.users).length;
    if (typeof frame.connections === "number") {
      this.connections = frame.connections;
    } else {
      var n = 0;
      for (var user in this.users) n += this.users[user].length;
      this.connections = n;
    }
  };

  Presence.prototype.view = function () {
    var users = {};
    for (var user in this.users) users[user] = this.users[user].slice();
    return { users: users, count: this.count, connections: this.connections, truncated: this.truncated };
  };

  /**
   * A client of the rooms of one node (or cluster behind one address).
   *
   * Options: url, token (async function returning the access token; it receives
   * {attempt, failedBeforeOpen}) or ticket (async function returning a ticket from
   * POST /auth/ws-ticket, same argument; see TroupeRooms.cookieTicket), onStatus, onError (errors about no room), backoff
   * {initialMs = 500, maxMs = 30000, stableMs = 10000}, WebSocket (an implementation, for tests).
   */
  function TroupeRooms(options) {
    if (!(this instanceof TroupeRooms)) return new TroupeRooms(options);
    options = options || {};
    if (typeof options.token !== "function" && typeof options.ticket !== "function") {
      throw new Error("TroupeRooms: pass {token: async () => accessToken} or {ticket: TroupeRooms.cookieTicket()}");
    }
    var backoff = options.backoff || {};
    this.url = options.url || defaultUrl();
    this.usesTicket = typeof options.token !== "function";
    this.tokenSource = this.usesTicket ? options.ticket : options.token;
    this.onStatus = options.onStatus || noop;
    this.onError = options.onError || noop;
    this.initialMs = backoff.initialMs || 500;
    this.maxMs = backoff.maxMs || 30000;
    this.stableMs = backoff.stableMs || 10000;
    this.WebSocketImpl = options.WebSocket || root.WebSocket;
    this.rooms = {}; // room name -> room record
    this.pending = {}; // ref -> {kind, room, resolve, reject}
    this.nextRef = 1;
    this.keyPrefix = randomId();
    this.nextKey = 1;
    this.socket = null;
    this.state = "idle";
    this.attempt = 0;
    this.failedBeforeOpen = false;
    this.retryTimer = null;
    this.stableTimer = null;
    this.stopped = false;
    this.connecting = false;
    var self = this;
    this.onlineListener = function () {
      // The network is back: try now instead of waiting out the backoff.
      if (self.retryTimer !== null) {
        clearTimeout(self.retryTimer);
        self.retryTimer = null;
        self.connect();
      }
    };
    if (typeof root.addEventListener === "function") {
      root.addEventListener("online", this.onlineListener);
    }
  }

  TroupeRooms.RoomsError = RoomsError;

  /**
   * A ticket source for a page logged in with the session cookie: POST /auth/ws-ticket (same
   * origin, the cookie goes along) with the CSRF cookie echoed in X-CSRF-Token. Options: base
   * (URL prefix, default ""), csrfCookie (default "troupe_csrf"), fetch (an implementation).
   */
  TroupeRooms.cookieTicket = function (options) {
    options = options || {};
    var base = options.base || "";
    var csrfCookie = options.csrfCookie || "troupe_csrf";
    return function () {
      var fetchImpl = options.fetch || root.fetch;
      return fetchImpl(base + "/auth/ws-ticket", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": readCookie(csrfCookie) },
        body: "{}",
      }).then(function (response) {
        if (!response.ok) throw RoomsError("unauthenticated", "no ticket: HTTP " + response.status);
        return response.json().then(function (body) {
          return body.ticket;
        });
      });
    };
  };

  TroupeRooms.prototype.status = function (state, extra) {
    this.state = state;
    var event = { state: state, attempt: this.attempt };
    if (extra) for (var k in extra) event[k] = extra[k];
    try {
      this.onStatus(event);
    } catch (e) {
      if (root.console) root.console.error(e);
    }
  };

  TroupeRooms.prototype.ref = function () {
    return String(this.nextRef++);
  };

  /** A new idempotency key for a post (visible ASCII, unique per client and page load). */
  TroupeRooms.prototype.newKey = function () {
    return this.keyPrefix + "-" + this.nextKey++;
  };

  TroupeRooms.prototype.isOpen = function () {
    return this.socket !== null && this.socket.readyState === 1 && this.state === "open";
  };

  TroupeRooms.prototype.send = function (frame) {
    if (!this.isOpen()) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  };

  TroupeRooms.prototype.hasActiveRooms = function () {
    for (var name in this.rooms) if (!this.rooms[name].ended) return true;
    return false;
  };

  /** Opens the connection (join does this too). */
  TroupeRooms.prototype.connect = function () {
    if (this.stopped || this.socket !== null || this.connecting) return;
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    var self = this;
    this.connecting = true;
    this.status("connecting");
    Promise.resolve()
      .then(function () {
        return self.tokenSource({ attempt: self.attempt, failedBeforeOpen: self.failedBeforeOpen });
      })
      .then(
        function (token) {
          self.connecting = false;
          if (self.stopped) return;
          if (!token) throw RoomsError("unauthenticated", self.usesTicket ? "no ticket" : "no access token");
          self.open(String(token));
        },
        function (error) {
          self.connecting = false;
          if (self.stopped) return;
          self.failedBeforeOpen = true;
          self.reportError(RoomsError("unauthenticated", (error && error.message) || "token unavailable"));
          self.scheduleReconnect("token unavailable");
        });
  };

  TroupeRooms.prototype.open = function (token) {
    var self = this;
    var socket;
    try {
      socket = this.usesTicket
        ? new this.WebSocketImpl(
            this.url + (this.url.indexOf("?") < 0 ? "?" : "&") + "ticket=" + encodeURIComponent(token),
            [PROTOCOL])
        : new this.WebSocketImpl(this.url, [PROTOCOL, BEARER_PREFIX + token]);
    } catch (error) {
      this.failedBeforeOpen = true;
      this.reportError(RoomsError("connect_failed", error && error.message));
      this.scheduleReconnect("connect failed");
      return;
    }
    this.socket = socket;
    var opened = false;
    socket.onopen = function () {
      if (self.socket !== socket) return;
      opened = true;
      self.failedBeforeOpen = false;
      self.status("open");
      self.stableTimer = setTimeout(function () {
        self.stableTimer = null;
        self.attempt = 0;
      }, self.stableMs);
      for (var name in self.rooms) {
        if (!self.rooms[name].ended) self.sendJoin(self.rooms[name]);
      }
    };
    socket.onmessage = function (event) {
      if (self.socket !== socket) return;
      self.receive(event.data);
    };
    socket.onclose = function (event) {
      if (self.socket !== socket) return;
      self.socket = null;
      if (self.stableTimer !== null) {
        clearTimeout(self.stableTimer);
        self.stableTimer = null;
      }
      if (!opened) self.failedBeforeOpen = true;
      self.dropPending();
      if (self.stopped) return;
      if (!self.hasActiveRooms()) {
        self.status("idle", { code: event.code });
        return;
      }
      self.scheduleReconnect("closed", event.code);
    };
    socket.onerror = function () {
      // onclose follows and decides.
    };
  };

  TroupeRooms.prototype.scheduleReconnect = function (reason, code) {
    if (this.stopped || this.retryTimer !== null) return;
    var ceiling = Math.min(this.maxMs, this.initialMs * Math.pow(2, this.attempt));
    var delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.attempt += 1;
    var self = this;
    this.status("reconnecting", { delay: delay, reason: reason, code: code });
    this.retryTimer = setTimeout(function () {
      self.retryTimer = null;
      self.connect();
    }, delay);
  };

  /**
   * Pending requests cannot be answered by a new connection: posts reject (with their key, to
   * retry), leaves resolve, and joins are forgotten (the new connection sends them again).
   */
  TroupeRooms.prototype.dropPending = function () {
    var pending = this.pending;
    this.pending = {};
    for (var ref in pending) {
      var entry = pending[ref];
      if (entry.kind === "join") continue;
      if (entry.kind === "leave") entry.resolve();
      else entry.reject(postError(RoomsError("disconnected", "the connection closed before the server answered"), entry));
    }
  };

  /** A post's error, with the post's key for a retry. */
  function postError(error, entry) {
    if (entry && entry.key) error.key = entry.key;
    return error;
  }

  TroupeRooms.prototype.sendJoin = function (room) {
    var ref = this.ref();
    var frame = { type: "join", room: room.name, ref: ref };
    if (room.last !== null) frame.since = room.last;
    this.pending[ref] = { kind: "join", room: room.name, sent: room.last };
    room.joinRef = ref;
    this.send(frame);
  };

  TroupeRooms.prototype.receive = function (data) {
    var frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      this.reportError(RoomsError("bad_frame", "the server sent text that is not JSON"));
      return;
    }
    var frames = Array.isArray(frame) ? frame : [frame];
    for (var i = 0; i < frames.length; i++) {
      try {
        this.dispatch(frames[i]);
      } catch (e) {
        if (root.console) root.console.error(e);
      }
    }
  };

  TroupeRooms.prototype.dispatch = function (frame) {
    if (!frame || typeof frame !== "object") return;
    var room = typeof frame.room === "string" ? this.rooms[frame.room] : undefined;
    switch (frame.type) {
      case "ack":
        return this.onAck(frame, room);
      case "message":
        if (!room || room.ended || typeof frame.offset !== "number") return;
        if (room.last !== null && frame.offset <= room.last) return; // seen already
        room.last = frame.offset;
        return room.call("onMessage", {
          room: frame.room,
          offset: frame.offset,
          sender: frame.sender,
          timestamp: frame.timestamp,
          body: frame.body,
        });
      case "presence_state":
        if (!room || room.ended) return;
        room.presence.reset(frame);
        return room.call("onPresence", room.presence.view(), { type: "state" });
      case "presence_diff":
        if (!room || room.ended) return;
        room.presence.apply(frame);
        return room.call("onPresence", room.presence.view(), {
          type: "diff",
          joins: frame.joins || {},
          leaves: frame.leaves || {},
        });
      case "signal":
        if (!room || room.ended) return;
        return room.call("onSignal", { room: frame.room, sender: frame.sender, body: frame.body });
      case "closed":
        if (!room) return;
        return this.endRoom(room, "closed", frame);
      case "error":
        return this.onErrorFrame(frame, room);
      default:
        return;
    }
  };

  TroupeRooms.prototype.onAck = function (frame, room) {
    var ref = frame.ref === undefined || frame.ref === null ? null : String(frame.ref);
    var entry = ref === null ? undefined : this.pending[ref];
    if (!entry) return;
    delete this.pending[ref];
    if (entry.kind === "join") {
      if (!room || room.joinRef !== ref) return;
      var head = typeof frame.head === "number" ? frame.head : null;
      if (head !== null) {
        // Without `since` the room starts live at its head; a `since` past the head is clamped.
        room.last = room.last === null ? head : Math.min(room.last, head);
        room.head = head;
      }
      room.joined = true;
      if (room.readyResolve) {
        room.readyResolve(head);
        room.readyResolve = room.readyReject = null;
      }
    } else if (entry.kind === "post") {
      entry.resolve({ room: frame.room, offset: frame.offset, sender: frame.sender, timestamp: frame.timestamp });
    } else {
      entry.resolve();
    }
  };

  TroupeRooms.prototype.onErrorFrame = function (frame, room) {
    var code = frame.code || "error";
    var error = RoomsError(code, frame.message, frame);
    var ref = frame.ref === undefined || frame.ref === null ? null : String(frame.ref);
    var entry = ref === null ? undefined : this.pending[ref];
    if (entry) delete this.pending[ref];
    if (CLIENT_ENDING[code]) {
      this.reportError(error);
      this.stop("stopped", code);
      return;
    }
    if (entry && entry.kind === "post") {
      entry.reject(postError(error, entry));
      return;
    }
    if (entry && entry.kind === "leave") {
      entry.resolve();
      return;
    }
    if (entry && entry.kind === "join") {
      if (!room || room.joinRef !== ref) return;
      if (ROOM_ENDING[code] || code === "room_full" || code === "too_many_rooms" || code === "invalid") {
        this.endRoom(room, code, frame);
      } else {
        // unavailable and the like: ask again after a while, on this connection.
        room.call("onError", error);
        var self = this;
        setTimeout(function () {
          if (!room.ended && self.rooms[room.name] === room && self.isOpen()) self.sendJoin(room);
        }, Math.min(this.maxMs, this.initialMs * 4));
      }
      return;
    }
    if (room && ROOM_ENDING[code]) {
      this.endRoom(room, code, frame);
      return;
    }
    if (room) {
      room.call("onError", error);
      return;
    }
    // slow_consumer, too_large and the like: the server closes next, and we reconnect.
    this.reportError(error);
  };

  TroupeRooms.prototype.endRoom = function (room, reason, frame) {
    if (room.ended) return;
    room.ended = true;
    if (this.rooms[room.name] === room) delete this.rooms[room.name];
    for (var ref in this.pending) {
      var entry = this.pending[ref];
      if (entry.room !== room.name) continue;
      delete this.pending[ref];
      if (entry.kind === "post") entry.reject(RoomsError(reason, "the room ended: " + reason, frame));
      else if (entry.kind === "leave") entry.resolve();
    }
    if (room.readyReject) {
      room.readyReject(RoomsError(reason, (frame && frame.message) || reason, frame));
      room.readyResolve = room.readyReject = null;
    }
    room.call("onClosed", { room: room.name, reason: reason, message: frame && frame.message });
  };

  TroupeRooms.prototype.reportError = function (error) {
    try {
      this.onError(error);
    } catch (e) {
      if (root.console) root.console.error(e);
    }
  };

  /**
   * Joins a room (and connects if needed); on every reconnect the room is joined again with
   * `since` = the last offset seen. Returns a handle {ready, post, signal, leave, presence, last}.
   */
  TroupeRooms.prototype.join = function (name, handlers) {
    if (this.stopped) throw new Error("TroupeRooms: stopped");
    if (typeof name !== "string" || name === "") throw new Error("TroupeRooms: a room name is required");
    if (this.rooms[name]) throw new Error("TroupeRooms: already joined " + name);
    handlers = handlers || {};
    var self = this;
    var room = {
      name: name,
      handlers: handlers,
      last: typeof handlers.since === "number" && handlers.since >= 0 ? Math.floor(handlers.since) : null,
      head: null,
      joined: false,
      joinRef: null,
      ended: false,
      presence: new Presence(),
      readyResolve: null,
      readyReject: null,
      call: function (handler, value, extra) {
        var fn = handlers[handler];
        if (typeof fn !== "function") return;
        try {
          fn(value, extra);
        } catch (e) {
          if (root.console) root.console.error(e);
        }
      },
    };
    var ready = new Promise(function (resolve, reject) {
      room.readyResolve = resolve;
      room.readyReject = reject;
    });
    ready.catch(noop); // callers that do not await `ready` hear about it through onClosed
    this.rooms[name] = room;
    if (this.isOpen()) this.sendJoin(room);
    else this.connect();

    return {
      room: name,
      ready: ready,
      /** The last offset delivered (or the head this room was joined at). */
      last: function () {
        return room.last;
      },
      presence: function () {
        return room.presence.view();
      },
      /**
       * Posts a JSON object; resolves with {room, offset, sender, timestamp}. Each post carries an
       * idempotency key, `options.key` or a new one; a rejection says it as `error.key`, and a
       * retry with that key is answered with the first post's result if it was stored.
       */
      post: function (body, options) {
        var key = options && options.key ? String(options.key) : self.newKey();
        var entry = { kind: "post", room: name, key: key };
        if (room.ended) return Promise.reject(postError(RoomsError("not_joined", "the room has ended"), entry));
        if (!self.isOpen() || !room.joined) {
          return Promise.reject(postError(RoomsError("disconnected", "not connected; retry when the status is open"), entry));
        }
        var ref = self.ref();
        return new Promise(function (resolve, reject) {
          entry.resolve = resolve;
          entry.reject = reject;
          self.pending[ref] = entry;
          self.send({ type: "post", room: name, body: body, ref: ref, key: key });
        });
      },
      /** Sends an ephemeral signal (typing and the like); false when not connected. */
      signal: function (body) {
        if (room.ended || !room.joined) return false;
        return self.send({ type: "signal", room: name, body: body });
      },
      /** Leaves the room; it is not joined again. */
      leave: function () {
        if (room.ended) return Promise.resolve();
        room.ended = true;
        delete self.rooms[name];
        if (room.readyReject) {
          room.readyReject(RoomsError("left", "left before the join was answered"));
          room.readyResolve = room.readyReject = null;
        }
        if (!self.isOpen()) return Promise.resolve();
        var ref = self.ref();
        return new Promise(function (resolve) {
          self.pending[ref] = { kind: "leave", room: name, resolve: resolve, reject: resolve };
          self.send({ type: "leave", room: name, ref: ref });
        });
      },
    };
  };

  /** Closes the connection for good. */
  TroupeRooms.prototype.close = function () {
    this.stop("closed");
  };

  TroupeRooms.prototype.stop = function (state, code) {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.stableTimer !== null) clearTimeout(this.stableTimer);
    this.retryTimer = this.stableTimer = null;
    if (typeof root.removeEventListener === "function") {
      root.removeEventListener("online", this.onlineListener);
    }
    var socket = this.socket;
    this.socket = null;
    this.dropPending();
    for (var name in this.rooms) this.endRoom(this.rooms[name], code || state, null);
    if (socket !== null) {
      try {
        socket.close(1000, state);
      } catch (e) {
        // already closed
      }
    }
    this.status(state, code ? { code: code } : undefined);
  };

  root.TroupeRooms = TroupeRooms;
  if (typeof module === "object" && module && module.exports) module.exports = TroupeRooms;
})(typeof window !== "undefined" ? window : typeof globalThis !== "undefined" ? globalThis : this);
