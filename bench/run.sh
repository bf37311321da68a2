#!/usr/bin/env bash
# Runs every Troupe benchmark side by side with its baseline, pinned with taskset (servers and
# stores on SERVER_CPUS, the load generator and wrk on CLIENT_CPUS), 3 measured rounds each, and
# writes the figures (every round, medians, ratios vs targets) into docs/benchmarks.md between
# the "bench-results" markers. About 60 minutes on a 2-core machine (auth: about 5; rooms about 25; the cache
# benchmarks about 15).
#
#   bench/run.sh                 # everything
#   ONLY="http persist-h2" bench/run.sh   # a subset: http auth security persist-h2 replay persist-cassandra
#                                         #   cache-put-h2 cache-mix cache-put-cassandra
#                                         #   rooms-fanout rooms-broadcast rooms-memory
#
# cache-mix compares Troupe with a minimal Node.js service on a local Redis (bench/redis-peer): it
# needs redis-server, node and npm (installed with apt-get when missing and run as root) and runs
# `npm install` in bench/redis-peer once (the npm registry, the first time only).
#
# rooms-fanout, rooms-broadcast and rooms-memory compare Troupe's rooms with a minimal Socket.IO
# server (bench/socketio-peer, `npm install` there once, likewise) through one WebSocket load
# generator; about 20 minutes together (rooms-memory holds 10k connections in 4 client processes).
#
# Environment: ROUNDS (3), SERVER_CPUS (0), CLIENT_CPUS (1), WARMUP_CPUS (0,1: cores a server may
# use while warming up only, so its JIT finishes sooner; "same" for SERVER_CPUS), EMBEDDED (1: also
# the in-process H2 baseline, ~2 more minutes), QUIET_MAX_WAIT (300 s to wait for the machine to
# be idle before starting), MVN_OFFLINE (1: build with -o), NO_DOC (1: only print the report),
# KEEP_WORK (1: keep data folders), BENCH_ARGS (extra options for every bench command, for
# diagnosis only, e.g. "--node-arg=--no-metrics"; use with NO_DOC=1).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
SERVER_CPUS="${SERVER_CPUS:-0}"
CLIENT_CPUS="${CLIENT_CPUS:-1}"
WARMUP_CPUS="${WARMUP_CPUS:-0,1}"
QUIET_MAX_WAIT="${QUIET_MAX_WAIT:-300}"
ONLY="${ONLY:-http auth security persist-h2 replay persist-cassandra cache-put-h2 cache-mix cache-put-cassandra rooms-fanout rooms-broadcast rooms-memory}"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
RUN_DIR="$HERE/target/run-$STAMP"
RESULTS="$RUN_DIR/results.jsonl"
DOC="$ROOT/docs/benchmarks.md"
mkdir -p "$RUN_DIR"
LOG="$RUN_DIR/run.log"
exec > >(tee -a "$LOG") 2>&1

say() { echo "[$(date -u +%H:%M:%S)] $*"; }

# --- prerequisites -----------------------------------------------------------------------------
[ "$(nproc)" -ge 2 ] || { echo "needs at least 2 cores (server and load generator pinned apart)"; exit 1; }
command -v taskset >/dev/null || { echo "taskset (util-linux) is missing"; exit 1; }
command -v jcmd >/dev/null || { echo "jcmd (a full JDK 17) is missing"; exit 1; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }
APT_UPDATED=0
need() {  # need COMMAND PACKAGE...: installs the Debian packages when COMMAND is missing
  local cmd="$1"; shift
  command -v "$cmd" >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing $*"
    [ "$APT_UPDATED" = 1 ] || { apt-get update -qq; APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "$cmd is missing: apt-get install $*"; exit 1
  fi
}
need wrk wrk
if wants cache-mix; then
  need redis-server redis-server
  need node nodejs
  need npm npm
  PEER="$HERE/redis-peer"
  # The Node.js baseline's one dependency (redis@4, pinned by package-lock.json); not committed.
  if [ ! -d "$PEER/node_modules/redis" ] || [ "$PEER/package-lock.json" -nt "$PEER/node_modules/.package-lock.json" ]; then
    say "npm install in bench/redis-peer"
    (cd "$PEER" && npm install --no-audit --no-fund --loglevel=error)
  fi
fi
if wants rooms-fanout || wants rooms-broadcast || wants rooms-memory; then
  need node nodejs
  need npm npm
  SIO_PEER="$HERE/socketio-peer"
  # The Socket.IO baseline's one dependency (socket.io 4.8.4, pinned by package-lock.json); not committed.
  if [ ! -d "$SIO_PEER/node_modules/socket.io" ] || [ "$SIO_PEER/package-lock.json" -nt "$SIO_PEER/node_modules/.package-lock.json" ]; then
    say "npm install in bench/socketio-peer"
    (cd "$SIO_PEER" && npm install --no-audit --no-fund --loglevel=error)
  fi
fi

# --- build, then freeze the classpath so a concurrent rebuild of the tree cannot change it ------
say "building troupe-bench and the node (mvn -pl bench -am package)"
OFFLINE=""; [ "${MVN_OFFLINE:-1}" = 1 ] && OFFLINE="-o"
(cd "$ROOT" && mvn -B $OFFLINE -q -DskipTests -pl bench -am package)
mkdir -p "$RUN_DIR/lib"
cp "$HERE"/target/lib/*.jar "$RUN_DIR/lib/"
cp "$HERE"/target/troupe-bench-*.jar "$RUN_DIR/lib/"
CP="$RUN_DIR/lib/*"
bench() {
  # The load generator: pinned to the client cores; it pins what it starts to the server cores.
  taskset -c "$CLIENT_CPUS" java -cp "$CP" dev.troupe.bench.load.BenchMain "$@" \
    --classpath "$CP" --server-cpus "$SERVER_CPUS" --warmup-cpus "$WARMUP_CPUS" \
    --work-dir "$RUN_DIR/work" --results "$RESULTS" \
    $([ "${KEEP_WORK:-0}" = 1 ] && echo --keep-data) ${BENCH_ARGS:-}
}

# --- wait until the machine is idle: other work on these 2 cores would skew every figure -------
busy_percent() {  # machine CPU busy over 3 s, percent of all cores
  read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < /proc/stat; sleep 3
  read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ < /proc/stat
  local busy=$(( (u2+n2+s2+q2+sq2+st2) - (u1+n1+s1+q1+sq1+st1) ))
  local total=$(( busy + (i2+w2) - (i1+w1) ))
  echo $(( total > 0 ? 100 * busy / total : 0 ))
}
waited=0
while :; do
  b=$(busy_percent)
  [ "$b" -le 15 ] && break
  if [ "$waited" -ge "$QUIET_MAX_WAIT" ]; then say "machine still ${b}% busy after ${waited}s: running anyway (see 'other CPU' in the results)"; break; fi
  say "machine ${b}% busy with other work; waiting"; sleep 10; waited=$((waited + 13))
done
say "machine idle enough (${b}% busy)"

T0=$(date +%s)
CASS_LAUNCHER=""
cleanup() {
  if [ -n "$CASS_LAUNCHER" ] && kill -0 "$CASS_LAUNCHER" 2>/dev/null; then
    say "stopping Cassandra (pid $CASS_LAUNCHER)"
    kill "$CASS_LAUNCHER" 2>/dev/null || true
    wait "$CASS_LAUNCHER" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if wants http; then
  say "http: Troupe GET /health/live (default config) vs bare Pekko HTTP, wrk on cpu $CLIENT_CPUS"
  bench http --rounds "$ROUNDS" --client-cpus "$CLIENT_CPUS"
fi
if wants auth; then
  say "auth: GET /bench/whoami with a fixed principal vs bearer token (cached, uncached), wrk on cpu $CLIENT_CPUS; then login cost"
  bench auth --rounds "$ROUNDS" --client-cpus "$CLIENT_CPUS"
fi
if wants security; then
  say "security: GET /bench/whoami and /health/live with all protections on vs off, wrk on cpu $CLIENT_CPUS"
  bench security --rounds "$ROUNDS" --client-cpus "$CLIENT_CPUS"
fi
if wants persist-h2; then
  say "persist, H2 journal vs raw JDBC inserts"
  bench persist --journal h2 --rounds "$ROUNDS" $([ "${EMBEDDED:-0}" = 1 ] && echo --embedded)
fi
if wants replay; then
  for s in off on; do
    say "replay 100k events, snapshots $s"
    bench replay --events 100000 --snapshots "$s" --recoveries "$ROUNDS"
  done
fi
if wants cache-put-h2; then
  say "cache-put, H2 journal: PUT /cache/{ns}/{key} (HTTP -> bucket -> journal) vs raw JDBC inserts of the same event row"
  bench cache-put --journal h2 --rounds "$ROUNDS"
fi
if wants cache-mix; then
  say "cache-mix: GET/PUT 90/10 over 10k keys, 64 connections: Troupe durable and durable=off namespaces vs Node.js + Redis (AOF everysec), wrk on cpu $CLIENT_CPUS"
  bench cache-mix --redis-peer "$HERE/redis-peer" --rounds "$ROUNDS" --client-cpus "$CLIENT_CPUS"
fi
if wants rooms-fanout; then
  say "rooms-fanout: 100 rooms x 50 WebSockets, rising rate until p99 > 100 ms: Troupe signals and posts vs Socket.IO, load generator on cpu $CLIENT_CPUS"
  bench rooms --scenario fanout --socketio-peer "$HERE/socketio-peer" --rounds "$ROUNDS" --client-cpus "$CLIENT_CPUS"
fi
if wants rooms-broadcast; then
  say "rooms-broadcast: 1 room x 2,000 WebSockets, rising rate until p99 > 1 s: Troupe signals and posts vs Socket.IO, load generator on cpu $CLIENT_CPUS"
  bench rooms --scenario broadcast --socketio-peer "$HERE/socketio-peer" --rounds "$ROUNDS" --client-cpus "$CLIENT_CPUS"
fi
if wants rooms-memory; then
  say "rooms-memory: 10k idle WebSockets joined to rooms, held by 4 client processes on cpu $CLIENT_CPUS: Troupe live heap and RSS per connection, Socket.IO RSS"
  bench rooms-memory --socketio-peer "$HERE/socketio-peer" --rounds "$ROUNDS" --client-cpus "$CLIENT_CPUS"
fi
if wants persist-cassandra || wants cache-put-cassandra; then
  read -r CQL STORAGE < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
  CASS_DIR="$RUN_DIR/work/cassandra"
  mkdir -p "$CASS_DIR"
  say "starting Cassandra 5.0.6 on cpu $SERVER_CPUS (CQL $CQL) with Troupe's schema"
  taskset -c "$SERVER_CPUS" java -Dtroupe.home="$ROOT" -cp "$CP" dev.troupe.platform.Main cassandra \
    --port "$CQL" --storage-port "$STORAGE" --data-dir "$CASS_DIR/data" --create-schema > "$CASS_DIR/cassandra.out" 2>&1 &
  CASS_LAUNCHER=$!
  for _ in $(seq 1 240); do
    grep -q "Cassandra listening on" "$CASS_DIR/cassandra.out" && break
    kill -0 "$CASS_LAUNCHER" 2>/dev/null || { cat "$CASS_DIR/cassandra.out"; exit 1; }
    sleep 1
  done
  grep -q "Cassandra listening on" "$CASS_DIR/cassandra.out" || { echo "Cassandra did not start"; cat "$CASS_DIR/cassandra.out"; exit 1; }
  CASS_PID="$(pgrep -P "$CASS_LAUNCHER" java | head -n 1)"
  say "Cassandra ready (server pid $CASS_PID, affinity $(taskset -cp "$CASS_PID" | sed 's/.*: //'))"
  if wants persist-cassandra; then
    say "persist, Cassandra journal vs raw java-driver inserts"
    bench persist --journal cassandra --cassandra "127.0.0.1:$CQL" --cassandra-pid "$CASS_PID" --rounds "$ROUNDS"
  fi
  if wants cache-put-cassandra; then
    say "cache-put, Cassandra journal vs raw java-driver inserts of the same event row"
    bench cache-put --journal cassandra --cassandra "127.0.0.1:$CQL" --cassandra-pid "$CASS_PID" --rounds "$ROUNDS"
  fi
  cleanup
  CASS_LAUNCHER=""
fi
ELAPSED=$(( $(date +%s) - T0 ))
say "benchmarks took ${ELAPSED}s; results in $RESULTS"

# --- report -------------------------------------------------------------------------------------
taskset -c "$CLIENT_CPUS" java -cp "$CP" dev.troupe.bench.load.BenchMain report "$RESULTS" --out "$RUN_DIR/report.md"
{
  echo "Run $STAMP (UTC), ${ELAPSED} s of benchmarks, commit $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(cd "$ROOT" && git status --porcelain 2>/dev/null | head -n 1)" ] && echo ' plus uncommitted changes')."
  echo
  echo "- Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(free -g | awk '/^Mem:/{print $2}') GiB RAM, kernel $(uname -r)"
  echo "- JDK: $(java -version 2>&1 | head -n 2 | tail -n 1)"
  echo "- wrk: $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}')"
  if wants rooms-fanout || wants rooms-broadcast || wants rooms-memory; then
    echo "- rooms baseline: Node.js $(node --version), npm socket.io $(sed -n 's/^  \"version\": \"\(.*\)\",/\1/p' "$HERE/socketio-peer/node_modules/socket.io/package.json" | head -n 1) (bench/socketio-peer/server.js, WebSocket transport only)"
  fi
  if wants cache-mix; then
    echo "- cache-mix baseline: Node.js $(node --version), redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'), npm redis $(sed -n 's/^  \"version\": \"\(.*\)\",/\1/p' "$HERE/redis-peer/node_modules/redis/package.json" | head -n 1)"
  fi
  echo "- Pinning: servers and stores \`taskset -c $SERVER_CPUS\` while measured (\`$WARMUP_CPUS\` while warming up, until their JIT settles), load generator and wrk \`taskset -c $CLIENT_CPUS\`; only the server being measured runs, the other is frozen (SIGSTOP)."
  echo "- Command: \`bench/run.sh\` (ROUNDS=$ROUNDS); raw results: \`bench/target/run-$STAMP/results.jsonl\`, log \`run.log\`."
  echo
  cat "$RUN_DIR/report.md"
} > "$RUN_DIR/section.md"

if [ "${NO_DOC:-0}" = 1 ]; then
  cat "$RUN_DIR/section.md"
  exit 0
fi
python3 - "$DOC" "$RUN_DIR/section.md" <<'EOF'
import sys, pathlib
doc, section = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text()
begin, end = "<!-- bench-results:begin -->", "<!-- bench-results:end -->"
text = doc.read_text() if doc.exists() else "# Benchmarks\n\n"
block = f"{begin}\n{section}\n{end}"
if begin in text and end in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip() + "\n\n## Results\n\n" + block + "\n"
doc.write_text(text)
print(f"wrote the figures into {doc}")
EOF
