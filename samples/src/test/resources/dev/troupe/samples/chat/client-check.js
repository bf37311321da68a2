// Drives the rooms client (/client/troupe.js) against a scripted WebSocket in the browser: the
// frames it sends, dedupe by offset, resume with `since` after a reconnect, pending posts on a
// lost connection, presence from state + diffs, room endings and session revocation.
// Resolves with the list of steps passed; throws at the first wrong step.
async function checkTroupeClient() {
  const steps = [];
  const check = (name, ok, detail) => {
    if (!ok) throw new Error("step '" + name + "' failed: " + JSON.stringify(detail));
    steps.push(name);
  };
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const tick = (ms) => new Promise((resolve) => setTimeout(resolve, ms || 0));
  const rejection = (promise) => promise.then(() => null, (e) => e);

  const sockets = [];
  class ScriptedSocket {
    constructor(url, protocols) {
      this.url = url;
      this.protocols = protocols;
      this.readyState = 0;
      this.sent = [];
      sockets.push(this);
    }
    send(text) { this.sent.push(JSON.parse(text)); }
    close(code) { this.readyState = 3; }
    open() { this.readyState = 1; this.onopen({}); }
    frame(f) { this.onmessage({ data: JSON.stringify(f) }); }
    drop(code) { this.readyState = 3; this.onclose({ code: code }); }
  }

  const statuses = [];
  const client = new TroupeRooms({
    url: "ws://example.invalid/ws",
    token: async () => "TOKEN",
    onStatus: (s) => statuses.push(s.state),
    WebSocket: ScriptedSocket,
    backoff: { initialMs: 10, maxMs: 40 },
  });
  const offsets = [], views = [], endings = [];
  const lobby = client.join("lobby", {
    since: 0,
    onMessage: (m) => offsets.push(m.offset),
    onPresence: (view) => views.push(view),
    onClosed: (why) => endings.push(why.reason),
  });
  await tick();
  const first = sockets[0];
  check("token in the subprotocols, never the url", same(first.protocols, ["troupe.v1", "troupe.bearer.TOKEN"]) && !first.url.includes("TOKEN"), first);
  first.open();
  check("join with since", same(first.sent[0], { type: "join", room: "lobby", ref: "1", since: 0 }), first.sent);
  first.frame({ type: "ack", ref: "1", room: "lobby", head: 2 });
  check("ready resolves with the head", (await lobby.ready) === 2);
  first.frame({ type: "presence_state", room: "lobby", count: 1, connections: 1, users: { ann: [{ connection: "c1" }] } });
  first.frame({ type: "message", room: "lobby", offset: 1, sender: "ann", timestamp: "t", body: { text: "a" } });
  first.frame({ type: "message", room: "lobby", offset: 2, sender: "ann", timestamp: "t", body: { text: "b" } });
  first.frame({ type: "message", room: "lobby", offset: 2, sender: "ann", timestamp: "t", body: { text: "b" } });
  check("each offset once", same(offsets, [1, 2]), offsets);
  first.frame({ type: "presence_diff", room: "lobby", joins: { bob: [{ connection: "c2" }] }, leaves: {}, count: 2, connections: 2 });
  check("diff adds a join", same(Object.keys(views[views.length - 1].users).sort(), ["ann", "bob"]), views);
  first.frame({ type: "presence_diff", room: "lobby", joins: { ann: [{ connection: "c3" }] }, leaves: {}, count: 2, connections: 3 });
  check("a second connection is a second meta", views[views.length - 1].users.ann.length === 2, views);
  first.frame({ type: "presence_diff", room: "lobby", joins: {}, leaves: { ann: [{ connection: "c1" }] }, count: 2, connections: 2 });
  check("one of two connections leaves", views[views.length - 1].users.ann.length === 1, views);
  first.frame({ type: "presence_diff", room: "lobby", joins: {}, leaves: { ann: [{ connection: "c3" }] }, count: 1, connections: 1 });
  check("the last connection leaves", same(Object.keys(views[views.length - 1].users), ["bob"]), views);

  const posted = lobby.post({ text: "c" });
  const { key: firstKey, ...postFrame } = first.sent[1];
  check("post frame", same(postFrame, { type: "post", room: "lobby", body: { text: "c" }, ref: "2" }), first.sent);
  check("a post carries an idempotency key", typeof firstKey === "string" && /^[\x21-\x7e]{1,128}$/.test(firstKey), first.sent);
  first.frame({ type: "ack", ref: "2", room: "lobby", offset: 3, sender: "ann", timestamp: "t" });
  check("post resolves with the ack", (await posted).offset === 3);
  const refused = lobby.post({ text: "too much" });
  first.frame({ type: "error", ref: "3", room: "lobby", code: "rate_limited", message: "slow down" });
  check("a refused post rejects with the code", (await rejection(refused)).code === "rate_limited");
  check("signal frame", lobby.signal({ typing: true }) && same(first.sent[3], { type: "signal", room: "lobby", body: { typing: true } }), first.sent);

  const unanswered = lobby.post({ text: "d" });
  first.drop(1006);
  const lost = await rejection(unanswered);
  check("a pending post rejects on disconnect", lost.code === "disconnected");
  check("with its key, unlike the post before", lost.key === first.sent[4].key && lost.key !== firstKey, [lost.key, first.sent]);
  check("nothing stays pending after a drop (joins are sent again)", Object.keys(client.pending).length === 0, client.pending);
  check("reconnecting after a drop", statuses[statuses.length - 1] === "reconnecting", statuses);
  check("posting while disconnected rejects", (await rejection(lobby.post({}))).code === "disconnected");
  await tick(60);
  const second = sockets[1];
  check("a new socket after the backoff", !!second, sockets.length);
  second.open();
  check("rejoin resumes after the last offset", second.sent[0].type === "join" && second.sent[0].since === 2, second.sent);
  second.frame({ type: "ack", ref: second.sent[0].ref, room: "lobby", head: 5 });
  for (const offset of [2, 3, 4, 5]) {
    second.frame({ type: "message", room: "lobby", offset: offset, sender: "bob", timestamp: "t", body: {} });
  }
  check("the resume fills the gap without duplicates", same(offsets, [1, 2, 3, 4, 5]), offsets);
  const retried = lobby.post({ text: "d" }, { key: lost.key });
  const retryFrame = second.sent[second.sent.length - 1];
  check("a retry sends the lost post's key", retryFrame.type === "post" && retryFrame.key === lost.key, second.sent);
  second.frame({ type: "ack", ref: retryFrame.ref, room: "lobby", offset: 4, sender: "ann", timestamp: "t" });
  check("and resolves with the stored result", (await retried).offset === 4);

  second.frame({ type: "error", room: "lobby", code: "kicked", message: "bye" });
  check("kicked ends the room", same(endings, ["kicked"]), endings);
  second.drop(1000);
  check("no rooms left: idle, no reconnect", statuses[statuses.length - 1] === "idle", statuses);
  await tick(60);
  check("still one socket per connection", sockets.length === 2, sockets.length);

  const live = [];
  client.join("other", { onMessage: (m) => live.push(m.offset) });
  await tick();
  const third = sockets[2];
  third.open();
  check("a live-only join has no since", !("since" in third.sent[0]), third.sent);
  third.frame({ type: "ack", ref: third.sent[0].ref, room: "other", head: 7 });
  third.frame({ type: "message", room: "other", offset: 8, sender: "bob", timestamp: "t", body: {} });
  check("live from the head", same(live, [8]), live);
  const missing = client.join("missing", {});
  third.frame({ type: "error", ref: third.sent[1].ref, room: "missing", code: "not_found", message: "no such room" });
  check("a refused join rejects ready", (await rejection(missing.ready)).code === "not_found");

  third.frame({ type: "error", code: "slow_consumer", message: "behind" });
  third.drop(1000);
  await tick(60);
  const fourth = sockets[3];
  check("slow_consumer: reconnect", !!fourth, sockets.length);
  fourth.open();
  check("and resume", fourth.sent[0].since === 8, fourth.sent);
  fourth.frame({ type: "error", code: "session_revoked", message: "revoked" });
  check("session_revoked stops the client", statuses[statuses.length - 1] === "stopped", statuses);
  await tick(60);
  check("and it stays stopped", sockets.length === 4, sockets.length);

  // Cookie login: a fresh single-use ticket in the url before every (re)connect, no token.
  let tickets = 0;
  const ticketed = new TroupeRooms({
    url: "ws://example.invalid/ws",
    ticket: async () => "T" + ++tickets,
    WebSocket: ScriptedSocket,
    backoff: { initialMs: 10, maxMs: 40 },
  });
  ticketed.join("lobby", {});
  await tick();
  const t1 = sockets[4];
  check("ticket in the url, only troupe.v1 offered", t1.url === "ws://example.invalid/ws?ticket=T1" && same(t1.protocols, ["troupe.v1"]), t1);
  t1.open();
  t1.drop(1006);
  await tick(60);
  const t2 = sockets[5];
  check("a new ticket for the reconnect", !!t2 && t2.url.endsWith("?ticket=T2") && tickets === 2, sockets.length);
  t2.open();
  t2.frame({ type: "error", code: "session_expired", message: "ended" });
  await tick(60);
  check("session_expired stops the client", sockets.length === 6, sockets.length);
  let ticketPost = null;
  const source = TroupeRooms.cookieTicket({
    fetch: async (url, init) => {
      ticketPost = { url: url, init: init };
      return { ok: true, json: async () => ({ ticket: "FROM-SERVER", expires_in: 30 }) };
    },
  });
  check("cookieTicket posts to /auth/ws-ticket and answers the ticket", (await source()) === "FROM-SERVER" && ticketPost.url === "/auth/ws-ticket" && ticketPost.init.method === "POST" && "X-CSRF-Token" in ticketPost.init.headers, ticketPost);
  return steps;
}
