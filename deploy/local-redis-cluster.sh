#!/usr/bin/env bash
# A Redis Cluster on this machine, for trying Relay's cluster mode and for benchmarks:
# 2 × SHARDS redis-server processes on 127.0.0.1 (SHARDS primaries, one replica each), AOF with
# appendfsync always, created with redis-cli --cluster create. Needs Redis >= 7 (sharded pub/sub).
#
#   deploy/local-redis-cluster.sh start [DIR] [FIRST_PORT] [SHARDS]   (defaults .relay/cluster 7100 3)
#       prints the seed list to use as REDIS_URL, e.g.
#       REDIS_URL=$(deploy/local-redis-cluster.sh start) ./run.sh
#   deploy/local-redis-cluster.sh stop [DIR]     stops exactly the processes it started (pid files)
#
# The tests use their own fixture (test-support RedisCluster); this script is for people.
set -euo pipefail

command=${1:-}
dir=${2:-.relay/cluster}
first=${3:-7100}
shards=${4:-3}

stop() {
  local pidfile
  for pidfile in "$dir"/*/redis.pid; do
    [[ -f $pidfile ]] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

start() {
  command -v redis-server >/dev/null || { echo "redis-server not found" >&2; exit 1; }
  local version
  version=$(redis-server --version | sed -E 's/.*v=([0-9]+).*/\1/')
  ((version >= 7)) || { echo "Redis >= 7 needed for sharded pub/sub (found $version)" >&2; exit 1; }
  local nodes=() seeds=() port node
  for ((i = 0; i < 2 * shards; i++)); do
    port=$((first + i))
    node="$dir/$port"
    mkdir -p "$node"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$node" --daemonize yes \
      --pidfile "$(cd "$node" && pwd)/redis.pid" --logfile redis.log \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 3000 \
      --appendonly yes --appendfsync always --save '' >/dev/null
    nodes+=("127.0.0.1:$port")
    ((i < shards)) && seeds+=("redis://127.0.0.1:$port")
  done
  for n in "${nodes[@]}"; do
    until redis-cli -p "${n#*:}" ping 2>/dev/null | grep -q PONG; do sleep 0.1; done
  done
  if ! redis-cli -p "$first" cluster info | grep -q 'cluster_state:ok'; then
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log"
    until redis-cli -p "$first" cluster info | grep -q 'cluster_state:ok'; do sleep 0.2; done
  fi
  (IFS=,; echo "${seeds[*]}")
}

case $command in
  start) start ;;
  stop) stop ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
