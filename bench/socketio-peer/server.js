'use strict';
// The rooms benchmark's baseline: a minimal Socket.IO 4 server with what the benchmark uses of
// Troupe's rooms, so one load generator drives both with the same connections and payloads:
//   - WebSocket transport only (no HTTP long-polling), no served client bundle;
//   - "join"   (room, ack)   -> socket.join(room), ack({ ok: true })      (Troupe: join frame, ack)
//   - "signal" (room, body)  -> emit "signal" (room, body) to the room's other sockets, not the
//                               sender, nothing stored                     (Troupe: signal frame)
//   - GET /health             -> 200 "ok" (readiness)
//   - GET /memory             -> 200 process.memoryUsage() as JSON, after a full GC when node
//                                runs with --expose-gc (the memory benchmark's reading)
// No auth, no presence, no history: the least a Socket.IO service would do.
// Usage: node [--expose-gc] server.js <port>
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 3000);

const httpServer = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
    return res.end('ok');
  }
  if (req.url === '/memory') {
    if (typeof global.gc === 'function') global.gc();
    const body = JSON.stringify({ ...process.memoryUsage(), gc: typeof global.gc === 'function', sockets: io.engine.clientsCount });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    return res.end(body);
  }
  res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': 9 });
  res.end('not found');
});

const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  socket.on('join', (room, ack) => {
    socket.join(String(room));
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('signal', (room, body) => {
    // Only to rooms this socket joined, as Troupe answers `not_joined` otherwise.
    if (socket.rooms.has(room)) socket.to(room).emit('signal', room, body);
  });
});

httpServer.listen(port, '127.0.0.1', () => console.log(`socketio-peer listening on ${port}`));
