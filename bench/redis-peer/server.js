'use strict';
// The cache benchmark's baseline: a minimal HTTP cache in Node.js on a local Redis, serving the
// same paths as Troupe's cache routes so one wrk script drives both:
//   PUT /cache/{ns}/{key}[?ttl=<int>(ms|s|m|h|d)]  -> SET "{ns}:{key}" PX ttl   -> 204
//   GET /cache/{ns}/{key}                          -> GET                      -> 200 body | 404
// The value is stored with its Content-Type (one Redis string: type, a NUL byte, the body), as
// Troupe keeps both. No auth, no tags, no ETag: the least a Node service would do.
// Usage: node server.js <http-port> <redis-url>    (e.g. 8080 redis://127.0.0.1:6379)
const http = require('http');
const { createClient, commandOptions } = require('redis');

const port = Number(process.argv[2] || 8080);
const redisUrl = process.argv[3] || 'redis://127.0.0.1:6379';
const DEFAULT_TTL_MS = 3600 * 1000; // Troupe's default-ttl, 1h
const MAX_VALUE = 1024 * 1024; // Troupe's max-value-size, 1 MiB
const UNITS = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };
const BUFFERS = commandOptions({ returnBuffers: true });

function ttlMs(query) {
  const m = /(?:^|&)ttl=(\d+)(ms|s|m|h|d)(?:&|$)/.exec(query);
  return m ? Number(m[1]) * UNITS[m[2]] : DEFAULT_TTL_MS;
}

function answer(res, status, headers, body) {
  // Content-Length, not chunked: a strict body, as Troupe (Pekko HTTP) answers.
  if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(status, headers);
  res.end(body);
}

async function main() {
  const redis = createClient({ url: redisUrl });
  redis.on('error', (e) => console.error('redis error', e.message));
  await redis.connect();

  const server = http.createServer((req, res) => {
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const query = q < 0 ? '' : req.url.slice(q + 1);
    // "/cache/" + ns + "/" + key, each one non-empty segment
    const parts = path.split('/');
    if (parts.length !== 4 || parts[1] !== 'cache' || !parts[2] || !parts[3]) {
      if (path === '/health') return answer(res, 200, { 'Content-Type': 'text/plain' }, 'ok');
      return answer(res, 404, { 'Content-Type': 'text/plain' }, 'not found');
    }
    const redisKey = parts[2] + ':' + parts[3];
    if (req.method === 'GET') {
      redis.get(BUFFERS, redisKey).then(
        (stored) => {
          if (stored === null) return answer(res, 404, { 'Content-Type': 'text/plain' }, 'absent');
          const nul = stored.indexOf(0);
          answer(res, 200, { 'Content-Type': stored.toString('latin1', 0, nul) }, stored.subarray(nul + 1));
        },
        (e) => answer(res, 503, { 'Content-Type': 'text/plain' }, String(e.message)));
    } else if (req.method === 'PUT') {
      const type = req.headers['content-type'] || 'application/octet-stream';
      const chunks = [Buffer.from(type + '\0', 'latin1')];
      let size = 0;
      req.on('data', (c) => {
        size += c.length;
        chunks.push(c);
      });
      req.on('end', () => {
        if (size > MAX_VALUE) return answer(res, 413, { 'Content-Type': 'text/plain' }, 'too large');
        redis.set(redisKey, Buffer.concat(chunks), { PX: ttlMs(query) }).then(
          () => answer(res, 204, {}),
          (e) => answer(res, 503, { 'Content-Type': 'text/plain' }, String(e.message)));
      });
    } else {
      answer(res, 405, { 'Content-Type': 'text/plain' }, 'method not allowed');
    }
  });
  server.keepAliveTimeout = 120000;
  server.listen(port, '127.0.0.1', () => console.log(`redis-peer listening on ${port}, redis ${redisUrl}`));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
