#!/usr/bin/env bash
# Starts a Spark standalone cluster on this machine from the project's own jars (no Spark download): one master and
# two workers, each a separate JVM, all on 127.0.0.1. Master spark://127.0.0.1:17077, web UIs on 127.0.0.1:18080
# (master, JSON at /json) and 18081-18082 (workers). State, logs and pid files go to $VISIONLAKE_CLUSTER_DIR
# (default target/cluster); scripts/cluster-down.sh stops exactly these processes.
# Settings: VISIONLAKE_CLUSTER_WORKERS (2), VISIONLAKE_WORKER_CORES (1), VISIONLAKE_WORKER_MEMORY (3g).
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${VISIONLAKE_CLUSTER_DIR:-$home/target/cluster}"
workers="${VISIONLAKE_CLUSTER_WORKERS:-2}"
master_url="spark://127.0.0.1:17077"
list="$home/target/spark-jars.txt"

fail() { echo "cluster-up: $*" >&2; exit 1; }

[[ -f "$list" ]] || fail "$list not found; build with mvn -B -DskipTests package first"
if [[ -f "$dir/master.pid" ]] && kill -0 "$(cat "$dir/master.pid")" 2>/dev/null; then
  fail "a cluster already runs from $dir (master pid $(cat "$dir/master.pid")); stop it with scripts/cluster-down.sh"
fi

# A Spark home as the Worker expects one when it launches executors: an empty RELEASE file and jars/ with Spark's jars
# (the build's jars less DL4J, ND4J, JavaCPP and VisionLake's own libraries: executors get those from the cluster jar).
mkdir -p "$dir/spark-home/jars"
rm -f "$dir/spark-home/jars/"*.jar
: >"$dir/spark-home/RELEASE"
grep -E ':(compile|provided):/' "$list" \
  | grep -vE '^ *(org\.deeplearning4j|org\.nd4j|org\.bytedeco|org\.datavec|com\.twelvemonkeys|info\.picocli):' \
  | grep -vE '^ *com\.fasterxml\.jackson\.dataformat:jackson-dataformat-yaml:|^ *org\.yaml:' \
  | grep -oE '/[^ ]+\.jar' | while read -r jar; do ln -s "$jar" "$dir/spark-home/jars/"; done
[[ -n "$(ls "$dir/spark-home/jars")" ]] || fail "no Spark jars listed in $list"

export SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.12
# Without it Spark binds the first non-loopback interface; everything here stays on loopback.
export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1
flags=$(sed -n 's/^spark\.driver\.extraJavaOptions[[:space:]]*//p' "$home/spark-conf/spark-defaults.conf")
log4j="-Dlog4j.configurationFile=$home/spark-conf/log4j2.properties"
cp="$SPARK_HOME/jars/*"

start() {
  local name=$1
  shift
  nohup java -Xmx512m $flags "$log4j" -cp "$cp" "$@" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

start master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 17077 --webui-port 18080
for i in $(seq 1 "$workers"); do
  mkdir -p "$dir/work-$i"
  start "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --webui-port $((18080 + i)) \
    --cores "${VISIONLAKE_WORKER_CORES:-1}" --memory "${VISIONLAKE_WORKER_MEMORY:-3g}" --work-dir "$dir/work-$i" \
    "$master_url"
done

# Ready when the master's JSON lists every worker as ALIVE.
for _ in $(seq 1 120); do
  alive=$(curl -s --max-time 2 http://127.0.0.1:18080/json/ 2>/dev/null | grep -o '"state" *: *"ALIVE"' | wc -l || true)
  if [[ "$alive" -ge "$workers" ]]; then
    echo "cluster-up: $master_url with $alive workers (pids in $dir, web UI http://127.0.0.1:18080)"
    exit 0
  fi
  kill -0 "$(cat "$dir/master.pid")" 2>/dev/null || fail "the master died; see $dir/master.log"
  sleep 1
done
fail "only ${alive:-0} of $workers workers registered within 120 s; see $dir/*.log (scripts/cluster-down.sh stops them)"
