#!/usr/bin/env bash
# Builds Relay and runs it locally in dev mode: Redis, ingest-service and push-service, in the
# foreground until Ctrl-C (or SIGTERM), then stops everything it started.
#
# Needs only Java 17 and Maven. Redis, first match wins (docs/operations.md):
#   1. REDIS_URL, when set (nothing is started);
#   2. a redis-server on PATH, started with AOF (appendfsync always) in .relay/redis;
#   3. the embedded redis-server 6.2 shipped in tools/target/tools.jar (io.relay.tools.DevRedis).
#
# Environment: RELAY_INGEST_PORT (8080), RELAY_PUSH_PORT (8081), RELAY_DEV_REDIS_PORT (6390, the
# port of a Redis this script starts), RELAY_SKIP_BUILD=true to reuse the jars of an earlier build,
# JAVA_OPTS for both JVMs (default: the collector and heap docs/performance.md#gc-and-heap chose,
# plus a class-data archive per service in .relay/cds, written by the first run and used by the
# next ones), RELAY_WARMUP (default off here: a dev start should be quick; the services' own
# default is on). Logs: .relay/logs/{redis,ingest,push}.log.
set -euo pipefail
cd "$(dirname "$0")"

INGEST_PORT=${RELAY_INGEST_PORT:-8080}
PUSH_PORT=${RELAY_PUSH_PORT:-8081}
REDIS_PORT=${RELAY_DEV_REDIS_PORT:-6390}
READY_TIMEOUT_SEC=${RELAY_READY_TIMEOUT_SEC:-60}
STATE_DIR=.relay
LOG_DIR=$STATE_DIR/logs
SERVICE_PIDS=()
REDIS_PID=

die() {
  echo "run.sh: $*" >&2
  exit 1
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when GET http://127.0.0.1:$1$2 answers 200.
http_ok() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1"
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    IFS= read -r -t 5 status <&3
    [[ $status == HTTP/1.?' 200'* ]]
  ) 2>/dev/null
}

# True when any of the pids "$@" is still running.
any_alive() {
  local pid
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}

# Sends SIGTERM to the pids "$@", waits up to 20 s for them to exit, then SIGKILLs the rest.
stop_pids() {
  local pid
  kill -TERM "$@" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    any_alive "$@" || break
    sleep 0.1
  done
  for pid in "$@"; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: pid $pid did not stop within 20s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
}

# Services first (push closes its sockets with 1012 and removes its bindings), Redis last.
cleanup() {
  trap - EXIT INT TERM
  if ((${#SERVICE_PIDS[@]} > 0)); then
    echo "Stopping Relay..."
    stop_pids "${SERVICE_PIDS[@]}"
  fi
  if [[ -n $REDIS_PID ]]; then stop_pids "$REDIS_PID"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts "$@" in the background in its own process group (Ctrl-C reaches only this script, which
# then stops the children in order), output appended to log file $1; sets STARTED_PID.
start_bg() {
  local log=$1
  shift
  echo "=== $(date '+%F %T') $*" >>"$log"
  if command -v setsid >/dev/null; then
    setsid "$@" >>"$log" 2>&1 </dev/null &
  else
    "$@" >>"$log" 2>&1 </dev/null &
  fi
  STARTED_PID=$!
}

# Prints the last lines of log $1 to stderr.
show_log() {
  echo "--- last lines of $1 ---" >&2
  tail -n 40 "$1" >&2 || true
  echo "---" >&2
}

command -v java >/dev/null || die "java not found: install a Java 17 JDK"
command -v mvn >/dev/null || die "mvn not found: install Maven"
mkdir -p "$LOG_DIR" "$STATE_DIR/redis"

if [[ ${RELAY_SKIP_BUILD:-false} != true ]]; then
  echo "Building (mvn -B -q package -DskipTests)..."
  mvn -B -q package -DskipTests
fi
for jar in ingest-service/target/ingest-service.jar push-service/target/push-service.jar; do
  [[ -f $jar ]] || die "$jar is missing: run 'mvn -B package -DskipTests' first"
done
for port in "$INGEST_PORT" "$PUSH_PORT"; do
  port_open "$port" && die "port $port is already in use: stop what holds it, or set RELAY_INGEST_PORT / RELAY_PUSH_PORT"
done

# --- Redis -----------------------------------------------------------------------------------
if [[ -n ${REDIS_URL:-} ]]; then
  REDIS_DESC="$REDIS_URL (from REDIS_URL)"
else
  port_open "$REDIS_PORT" && die "port $REDIS_PORT (dev Redis) is already in use: set RELAY_DEV_REDIS_PORT, or REDIS_URL to use that Redis"
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  if command -v redis-server >/dev/null; then
    REDIS_DESC="$REDIS_URL (redis-server from PATH, AOF in $STATE_DIR/redis)"
    start_bg "$LOG_DIR/redis.log" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
      --dir "$PWD/$STATE_DIR/redis" --appendonly yes --appendfsync always \
      --maxmemory-policy noeviction --daemonize no
  else
    [[ -f tools/target/tools.jar ]] || die "tools/target/tools.jar is missing: run 'mvn -B package -DskipTests' first"
    REDIS_DESC="$REDIS_URL (embedded redis-server 6.2 from tools.jar, AOF in $STATE_DIR/redis)"
    start_bg "$LOG_DIR/redis.log" java -cp tools/target/tools.jar io.relay.tools.DevRedis \
      "$REDIS_PORT" "$PWD/$STATE_DIR/redis"
  fi
  REDIS_PID=$STARTED_PID
  for ((i = 0; i < 300; i++)); do
    port_open "$REDIS_PORT" && break
    kill -0 "$REDIS_PID" 2>/dev/null || { REDIS_PID=; show_log "$LOG_DIR/redis.log"; die "Redis exited during startup"; }
    sleep 0.1
  done
  port_open "$REDIS_PORT" || { show_log "$LOG_DIR/redis.log"; die "Redis did not listen on port $REDIS_PORT within 30s"; }
fi

# --- Services --------------------------------------------------------------------------------
export REDIS_URL RELAY_DEV=true RELAY_LOG_FORMAT=${RELAY_LOG_FORMAT:-text}
export RELAY_INGEST_PORT=$INGEST_PORT RELAY_PUSH_PORT=$PUSH_PORT
export RELAY_DEMO_INGEST_URL=${RELAY_DEMO_INGEST_URL:-http://127.0.0.1:$INGEST_PORT}
export RELAY_WARMUP=${RELAY_WARMUP:-off}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xms256m -Xmx256m -XX:MetaspaceSize=64m -XX:+ExitOnOutOfMemoryError}
mkdir -p "$STATE_DIR/cds"

# The JVM flags of service $1: JAVA_OPTS plus its class-data archive (AppCDS), named after the
# jar's checksum: used when an earlier run wrote it, else written when this run stops.
service_java_opts() {
  local jar=$1-service/target/$1-service.jar sum archive
  sum=$(cksum "$jar" | cut -d' ' -f1)
  archive=$STATE_DIR/cds/$1-$sum.jsa
  if [[ -s $archive ]]; then
    echo "$JAVA_OPTS -XX:SharedArchiveFile=$archive"
  else
    rm -f "$STATE_DIR/cds/$1-"*.jsa
    echo "$JAVA_OPTS -XX:ArchiveClassesAtExit=$archive -Xlog:cds=off"
  fi
}
for service in ingest push; do
  # shellcheck disable=SC2046 # the options are a list
  start_bg "$LOG_DIR/$service.log" java $(service_java_opts "$service") -jar "$service-service/target/$service-service.jar"
  SERVICE_PIDS+=("$STARTED_PID")
done

echo "Waiting for /health/ready on ports $INGEST_PORT and $PUSH_PORT (up to ${READY_TIMEOUT_SEC}s)..."
deadline=$((SECONDS + READY_TIMEOUT_SEC))
for name_port in "ingest:$INGEST_PORT" "push:$PUSH_PORT"; do
  name=${name_port%%:*} port=${name_port##*:}
  until http_ok "$port" /health/ready; do
    pid=${SERVICE_PIDS[0]}
    [[ $name == push ]] && pid=${SERVICE_PIDS[1]}
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log "$LOG_DIR/$name.log"
      die "$name-service exited during startup (log: $LOG_DIR/$name.log)"
    fi
    if ((SECONDS >= deadline)); then
      show_log "$LOG_DIR/$name.log"
      die "$name-service not ready on port $port after ${READY_TIMEOUT_SEC}s (is Redis at $REDIS_URL reachable?)"
    fi
    sleep 0.5
  done
done

cat <<EOF

Relay is running in dev mode (JWT secret 'dev-secret', API key 'dev-key', CORS '*'):
  demo    http://127.0.0.1:$PUSH_PORT/   <- open in two browser windows, join as alice and bob (docs/demo.md)
  ingest  http://127.0.0.1:$INGEST_PORT
  push    ws://127.0.0.1:$PUSH_PORT/v1/ws
  redis   $REDIS_DESC
  logs    $LOG_DIR/{redis,ingest,push}.log

Try it:
  # terminal 1: bob listens
  BOB=\$(curl -s -X POST localhost:$INGEST_PORT/v1/tokens -H 'X-Api-Key: dev-key' -H 'Content-Type: application/json' -d '{"uid":"bob","ttlSec":3600}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
  npx -y wscat -c "ws://127.0.0.1:$PUSH_PORT/v1/ws?token=\$BOB"

  # terminal 2: alice sends
  ALICE=\$(curl -s -X POST localhost:$INGEST_PORT/v1/tokens -H 'X-Api-Key: dev-key' -H 'Content-Type: application/json' -d '{"uid":"alice","ttlSec":3600}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
  curl -X POST localhost:$INGEST_PORT/v1/messages -H "Authorization: Bearer \$ALICE" -H 'Content-Type: application/json' -d '{"to":"bob","body":{"text":"hi"}}'

Press Ctrl-C to stop.
EOF

# Foreground until a signal arrives (the traps exit) or a child dies.
while true; do
  for pid in "${SERVICE_PIDS[@]}" $REDIS_PID; do
    if ! kill -0 "$pid" 2>/dev/null; then
      die "process $pid exited unexpectedly; see $LOG_DIR/"
    fi
  done
  sleep 1 &
  wait $! || true
done
