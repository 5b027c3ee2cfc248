#!/usr/bin/env bash
# Stops the cluster that scripts/cluster-up.sh started: exactly the pids in its pid files, workers first (a worker
# stops its executors as it exits), then the master.
set -uo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${VISIONLAKE_CLUSTER_DIR:-$home/target/cluster}"

stop() {
  local file=$1 pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$file"
}

for file in "$dir"/worker-*.pid; do stop "$file"; done
stop "$dir/master.pid"
echo "cluster-down: stopped the cluster of $dir"
