/*
 * The chat sample's page: signs in with POST /auth/login in cookie mode, keeps the session
 * cookies fresh with POST /auth/refresh, lists and creates rooms over HTTP, and talks to rooms through the node's
 * JavaScript client (/client/troupe.js), which reconnects and resumes from the last offset.
 */
(function () {
  "use strict";

  var HISTORY = 100; // messages shown when a room is opened
  var TYPING_EVERY_MS = 2000; // at most one typing signal this often
  var TYPING_SHOWN_MS = 3500; // how long someone shows as typing after their last signal

  var $ = function (id) {
    return document.getElementById(id);
  };

  var session = null; // {org, username, csrf, expiresAt, ttlMs}; the tokens are in HttpOnly cookies
  var refreshing = null; // the one refresh in flight (a refresh token works once)
  var refreshTimer = null;
  var rooms = null; // TroupeRooms
  var current = null; // {name, handle}
  var known = {}; // room name -> room JSON from GET /rooms
  var typing = {}; // user -> until (ms)
  var typingTimer = null;
  var lastTypingSent = 0;
  var refreshes = 0;

  // ---- the cookie session ------------------------------------------------------------------------
  // Login in cookie mode: the access and refresh tokens live in HttpOnly cookies this script cannot
  // read; it reads the CSRF cookie, echoed in X-CSRF-Token on every state-changing request, and
  // the access token's lifetime, to refresh the cookies before it ends. The WebSocket opens with a
  // single-use ticket (POST /auth/ws-ticket) fetched before every (re)connect.

  /**
   * The CSRF value to echo: read from the troupe_csrf cookie on every request, since a refresh in
   * another tab rotates it; the value from this tab's login or refresh only when no cookie is there.
   */
  function csrf(fallback) {
    var parts = (document.cookie || "").split(";");
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i].trim();
      if (part.indexOf("troupe_csrf=") === 0) return decodeURIComponent(part.substring("troupe_csrf=".length));
    }
    return fallback || "";
  }

  function keep(body, org, username) {
    var ttlMs = Math.max(1000, (body.expires_in || 300) * 1000);
    session = {
      org: org,
      username: username,
      csrf: body.csrf_token,
      ttlMs: ttlMs,
      expiresAt: Date.now() + ttlMs,
    };
    scheduleRefresh();
  }

  /** Refresh a quarter of the lifetime (at most 30 s) before the access cookie expires. */
  function margin() {
    return Math.min(30000, session.ttlMs / 4);
  }

  function scheduleRefresh() {
    if (refreshTimer !== null) clearTimeout(refreshTimer);
    if (!session) return;
    var due = Math.max(0, session.expiresAt - margin() - Date.now());
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      refreshSession().catch(function () {});
    }, due);
  }

  /** POST /auth/refresh with the refresh cookie: new cookies, new CSRF value. */
  function refreshSession() {
    if (!session) return Promise.reject(new Error("signed out"));
    if (refreshing) return refreshing;
    var mine = session;
    refreshing = fetch("/auth/refresh", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(mine.csrf) },
      body: "{}",
    })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          signOut("Your session has ended. Please sign in again.");
          throw new Error("session ended");
        }
        if (!response.ok) throw new Error("refresh failed: " + response.status);
        return response.json();
      })
      .then(function (body) {
        if (session !== mine) throw new Error("signed out");
        keep(body, mine.org, mine.username);
        refreshes += 1;
        document.body.dataset.refreshes = String(refreshes);
      })
      .finally(function () {
        refreshing = null;
      });
    return refreshing;
  }

  /** Resolves once the access cookie is fresh enough for the next request or connection. */
  function fresh(hint) {
    if (!session) return Promise.reject(new Error("signed out"));
    var stale = Date.now() > session.expiresAt - margin();
    // Connections that keep failing before they open may be refused (a browser cannot see the
    // 401 of a WebSocket handshake): refresh now and then while that goes on.
    var suspicious = hint && hint.failedBeforeOpen && hint.attempt % 4 === 3;
    if (stale || suspicious) return refreshSession();
    return Promise.resolve();
  }

  /** A single-use ticket for the next WebSocket connection. */
  function ticket(hint) {
    return fresh(hint).then(function () {
      return api("POST", "/auth/ws-ticket", {}).then(function (body) {
        return body.ticket;
      });
    });
  }

  function api(method, path, body, retried) {
    return fresh().then(function () {
      var init = { method: method, credentials: "same-origin", headers: {} };
      if (method !== "GET" && method !== "HEAD") init.headers["X-CSRF-Token"] = csrf(session.csrf);
      if (body !== undefined) {
        init.headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
      }
      return fetch(path, init).then(function (response) {
        if (response.status === 401 && !retried) {
          return refreshSession().then(function () {
            return api(method, path, body, true);
          });
        }
        if (!response.ok) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (problem) {
              var error = new Error(problem.detail || problem.title || "HTTP " + response.status);
              error.status = response.status;
              error.code = problem.code;
              throw error;
            });
        }
        return response.status === 204 ? null : response.json();
      });
    });
  }

  // ---- signing in and out ----------------------------------------------------------------------

  function signIn(event) {
    event.preventDefault();
    var org = $("login-org").value.trim();
    var username = $("login-username").value.trim();
    var password = $("login-password").value;
    var request = { username: username, password: password, cookie: true };
    if (org) request.org = org;
    $("login-error").textContent = "";
    $("login-submit").disabled = true;
    fetch("/auth/login", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request),
    })
      .then(function (response) {
        if (response.status === 401) throw new Error("Wrong organisation, username or password.");
        if (response.status === 429) throw new Error("Too many attempts; wait a moment and retry.");
        if (!response.ok) throw new Error("Sign-in failed (HTTP " + response.status + ").");
        return response.json();
      })
      .then(function (body) {
        $("login-password").value = "";
        keep(body, org, username);
        start();
      })
      .catch(function (error) {
        $("login-error").textContent = error.message;
      })
      .finally(function () {
        $("login-submit").disabled = false;
      });
  }

  function start() {
    $("login-view").hidden = true;
    $("chat-view").hidden = false;
    $("me").textContent = session.username + (session.org ? " @ " + session.org : "");
    document.body.dataset.user = session.username;
    rooms = new TroupeRooms({
      ticket: ticket,
      onStatus: showStatus,
      onError: function (error) {
        if (error.code === "session_revoked") signOut("Your session was ended elsewhere.");
        if (error.code === "session_expired") signOut("Your session has ended. Please sign in again.");
      },
    });
    loadRooms();
  }

  function signOut(reason) {
    var ending = session;
    session = null;
    if (refreshTimer !== null) clearTimeout(refreshTimer);
    refreshTimer = null;
    if (rooms) rooms.close();
    rooms = null;
    current = null;
    if (ending && !reason) {
      fetch("/auth/logout", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf(ending.csrf) },
      }).catch(function () {});
    }
    clearRoom();
    $("rooms").textContent = "";
    $("rooms-note").textContent = "";
    $("chat-view").hidden = true;
    $("login-view").hidden = false;
    $("login-error").textContent = reason || "";
    delete document.body.dataset.user;
  }

  function showStatus(status) {
    var label = {
      connecting: "connecting…",
      open: "online",
      reconnecting: "offline, retrying in " + Math.ceil((status.delay || 0) / 1000) + " s",
      idle: "idle",
      stopped: "disconnected",
      closed: "signed out",
    }[status.state] || status.state;
    $("status").textContent = label;
    $("status").dataset.state = status.state;
    var usable = status.state === "open" && current !== null;
    $("compose").disabled = !usable;
    $("send").disabled = !usable;
  }

  // ---- rooms -----------------------------------------------------------------------------------

  function loadRooms() {
    $("rooms-error").textContent = "";
    return api("GET", "/rooms")
      .then(function (answer) {
        known = {};
        var list = $("rooms");
        list.textContent = "";
        (answer.rooms || [])
          .map(function (room) {
            known[room.room] = room;
            return room.room;
          })
          .sort()
          .forEach(function (name) {
            var item = document.createElement("li");
            item.dataset.room = name;
            if (current && current.name === name) item.className = "current";
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = "# " + name;
            button.addEventListener("click", function () {
              openRoom(name);
            });
            item.appendChild(button);
            list.appendChild(item);
          });
      })
      .catch(function (error) {
        if (error.status === 403) {
          $("rooms-note").textContent = "Only org admins see the list of rooms: join one by name.";
        } else {
          $("rooms-error").textContent = "Could not list rooms: " + error.message;
        }
      });
  }

  function roomName() {
    var input = $("room-name");
    if (!input.reportValidity()) return null;
    return input.value.trim();
  }

  function joinByName(event) {
    event.preventDefault();
    var name = roomName();
    if (!name) return;
    $("rooms-error").textContent = "";
    $("room-name").value = "";
    openRoom(name);
  }

  function createRoom() {
    var name = roomName();
    if (!name) return;
    $("rooms-error").textContent = "";
    api("PUT", "/rooms/" + encodeURIComponent(name), {})
      .then(function () {
        $("room-name").value = "";
        return loadRooms();
      })
      .then(function () {
        openRoom(name);
      })
      .catch(function (error) {
        $("rooms-error").textContent =
          error.status === 403 ? "Only org admins may create rooms." : "Could not create the room: " + error.message;
      });
  }

  function clearRoom() {
    $("messages").textContent = "";
    $("online").textContent = "";
    $("online-count").textContent = "0";
    $("typing").textContent = "";
    $("room-notice").textContent = "";
    $("composer-error").textContent = "";
    $("room-title").textContent = "Pick a room";
    typing = {};
    delete document.body.dataset.room;
  }

  function openRoom(name) {
    if (!rooms) return;
    if (current && current.name === name) return;
    if (current) current.handle.leave();
    clearRoom();
    $("room-title").textContent = "# " + name;
    document.body.dataset.room = name;
    Array.prototype.forEach.call($("rooms").children, function (item) {
      item.className = item.dataset.room === name ? "current" : "";
    });
    // With the head from the room list, the join itself replays the latest messages; without it
    // the join starts live and the history before its head comes over HTTP.
    var head = known[name] && typeof known[name].head === "number" ? known[name].head : null;
    var room = { name: name, handle: null };
    current = room;
    room.handle = rooms.join(name, {
      since: head === null ? undefined : Math.max(0, head - HISTORY),
      onMessage: function (message) {
        if (current === room) showMessage(message);
      },
      onPresence: function (view) {
        if (current === room) showPresence(view);
      },
      onSignal: function (signal) {
        if (current === room) showSignal(signal);
      },
      onClosed: function (why) {
        if (current !== room) return;
        var text = {
          closed: "This room was closed.",
          kicked: "You were removed from this room.",
          banned: "You are banned from this room.",
          not_member: "This room is for members only.",
          forbidden: "You may not join this room.",
          not_found: "This room does not exist (any more).",
          room_full: "This room is full.",
        }[why.reason] || "You left this room (" + why.reason + ").";
        $("room-notice").textContent = text;
        current = null;
        showStatus({ state: rooms ? rooms.state : "closed" });
      },
      onError: function (error) {
        if (current === room) $("composer-error").textContent = error.message;
      },
    });
    if (head === null) {
      room.handle.ready.then(function (joinedAt) {
        if (current === room && joinedAt > 0) loadHistory(room, joinedAt);
      }, function () {});
    }
    showStatus({ state: rooms.state });
  }

  /** The messages up to the head a room was joined at, above the live ones. */
  function loadHistory(room, head) {
    var after = Math.max(0, head - HISTORY);
    var path = "/rooms/" + encodeURIComponent(room.name) + "/messages?after=" + after + "&before=" + (head + 1) + "&limit=" + HISTORY;
    api("GET", path)
      .then(function (page) {
        if (current !== room) return;
        var list = $("messages");
        var first = list.firstChild;
        (page.messages || []).forEach(function (message) {
          list.insertBefore(messageItem(message), first);
        });
        list.scrollTop = list.scrollHeight;
      })
      .catch(function (error) {
        if (current === room) $("room-notice").textContent = "Could not load earlier messages: " + error.message;
      });
  }

  // ---- messages, presence, typing --------------------------------------------------------------

  function textOf(body) {
    if (body && typeof body.text === "string") return body.text;
    return JSON.stringify(body);
  }

  function showMessage(message) {
    var item = messageItem(message);
    var list = $("messages");
    var atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    list.appendChild(item);
    if (atBottom) list.scrollTop = list.scrollHeight;
    // Whoever posted has stopped typing.
    if (typing[message.sender]) {
      delete typing[message.sender];
      showTyping();
    }
  }

  function messageItem(message) {
    var item = document.createElement("li");
    item.className = "message" + (session && message.sender === session.username ? " mine" : "");
    item.dataset.offset = String(message.offset);
    item.dataset.sender = message.sender;
    var sender = document.createElement("span");
    sender.className = "sender";
    sender.textContent = message.sender;
    var time = document.createElement("time");
    time.className = "time";
    var when = new Date(message.timestamp);
    if (!isNaN(when.getTime())) {
      time.dateTime = when.toISOString();
      time.textContent = when.toLocaleTimeString();
    }
    var text = document.createElement("span");
    text.className = "text";
    text.textContent = textOf(message.body);
    item.appendChild(sender);
    item.appendChild(time);
    item.appendChild(text);
    return item;
  }

  function showPresence(view) {
    var list = $("online");
    list.textContent = "";
    Object.keys(view.users)
      .sort()
      .forEach(function (user) {
        var item = document.createElement("li");
        item.dataset.user = user;
        if (session && user === session.username) item.className = "me";
        var connections = view.users[user].length;
        item.textContent = user + (connections > 1 ? " (" + connections + ")" : "");
        list.appendChild(item);
      });
    $("online-count").textContent = String(view.count);
  }

  function showSignal(signal) {
    if (!signal.body || signal.body.typing !== true) return;
    if (session && signal.sender === session.username) return;
    typing[signal.sender] = Date.now() + TYPING_SHOWN_MS;
    showTyping();
  }

  function showTyping() {
    var now = Date.now();
    var who = Object.keys(typing).filter(function (user) {
      if (typing[user] > now) return true;
      delete typing[user];
      return false;
    });
    $("typing").textContent =
      who.length === 0 ? "" : who.sort().join(", ") + (who.length === 1 ? " is typing…" : " are typing…");
    if (typingTimer !== null) clearTimeout(typingTimer);
    typingTimer = who.length === 0 ? null : setTimeout(showTyping, 500);
  }

  function typed() {
    if (!current || !current.handle) return;
    var now = Date.now();
    if (now - lastTypingSent < TYPING_EVERY_MS) return;
    if (current.handle.signal({ typing: true })) lastTypingSent = now;
  }

  function send(event) {
    event.preventDefault();
    if (!current || !current.handle) return;
    var input = $("compose");
    var text = input.value;
    if (!text.trim()) return;
    $("composer-error").textContent = "";
    current.handle
      .post({ text: text })
      .then(function () {
        if (input.value === text) input.value = "";
        lastTypingSent = 0;
      })
      .catch(function (error) {
        $("composer-error").textContent =
          error.code === "disconnected" ? "Offline: the message was not sent. Retry when online." : error.message;
      });
  }

  // ---- wiring ----------------------------------------------------------------------------------

  $("login-form").addEventListener("submit", signIn);
  $("logout").addEventListener("click", function () {
    signOut();
  });
  $("refresh-rooms").addEventListener("click", loadRooms);
  $("room-form").addEventListener("submit", joinByName);
  $("create-room").addEventListener("click", createRoom);
  $("composer").addEventListener("submit", send);
  $("compose").addEventListener("input", typed);
})();
