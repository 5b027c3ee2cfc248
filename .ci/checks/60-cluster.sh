#!/usr/bin/env bash
# Real-data check of cluster mode: starts a Spark standalone cluster (master + 2 workers, separate JVMs on loopback)
# from the project's jars, submits an ingest of 600 real CIFAR-10 JPEGs and a short residual experiment with
# scripts/submit.sh, checks the results and that both executors ran training tasks; then kills one executor JVM in
# the middle of a second training run and checks that the run either recovers or fails with a clear record, never
# "complete" without its results. Stops the cluster on every exit.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="${VISIONLAKE_SHARED:-$(cd "$home/.." && pwd)/shared}"
archive="$shared/datasets/cifar10-jpg.tar.gz"
work="$(mktemp -d)"
export VISIONLAKE_CLUSTER_DIR="$work/cluster"
trap '"$home/scripts/cluster-down.sh" >/dev/null 2>&1; rm -rf "$work"' EXIT
lake="$work/lake"
events="$work/events"
started=$(date +%s)
master="spark://127.0.0.1:17077"

fail() {
  echo "60-cluster: FAIL: $*" >&2
  for log in "$work"/*.log "$VISIONLAKE_CLUSTER_DIR"/*.log; do
    [[ -f "$log" ]] && { echo "--- tail of $log" >&2; tail -20 "$log" >&2; }
  done
  exit 1
}
field() { tr -d ' \n' <"$1" | grep -o "\"$2\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }

[[ -f "$archive" ]] || fail "real dataset $archive not found; set VISIONLAKE_SHARED to the folder holding datasets/"
[[ -f "$home/target/visionlake-cluster.jar" ]] || fail "target/visionlake-cluster.jar missing; run mvn package"

echo "60-cluster: extracting 500 train and 100 test images (cat, dog)"
tar tzf "$archive" \
  | grep -E '^cifar10/(train|test)/(cat|dog)/[^/]+\.jpg$' \
  | awk -F/ '{ n[$2 "/" $3]++; if (($2 == "train" && n[$2 "/" $3] <= 250) || ($2 == "test" && n[$2 "/" $3] <= 50)) print }' \
    >"$work/list"
[[ $(wc -l <"$work/list") -eq 600 ]] || fail "expected 600 CIFAR-10 files in $archive"
tar xzf "$archive" -C "$work" -T "$work/list"

"$home/scripts/cluster-up.sh" || fail "cluster-up failed"
mkdir -p "$events"
submit() {
  "$home/scripts/submit.sh" --master "$master" --executor-memory 2g \
    --conf spark.eventLog.enabled=true --conf spark.eventLog.dir="file://$events" \
    --conf spark.executorEnv.OMP_NUM_THREADS=1 -- "$@"
}

echo "60-cluster: ingest on the cluster ($(( $(date +%s) - started ))s)"
submit ingest "$work/cifar10" --name cifar-cd --image-size 16 --lake "$lake" --json >"$work/ingest.json" \
  2>"$work/ingest.log" || fail "ingest on the cluster failed"
total=$(tr -d ' \n' <"$work/ingest.json" | grep -o '"written":[0-9]*' | head -1 | cut -d: -f2)
[[ "$total" == 600 ]] || fail "ingest wrote '${total:-?}' images, expected 600: $(cat "$work/ingest.json")"

echo "60-cluster: residual experiment on the cluster ($(( $(date +%s) - started ))s)"
submit experiment residual --dataset cifar-cd --blocks 1 --epochs 1 --batch-size 16 --workers 2 \
  --train-eval-images 64 --run-id cluster-run --lake "$lake" --json >"$work/residual.json" 2>"$work/residual.log" \
  || fail "residual experiment on the cluster failed"
record="$lake/runs/cluster-run/_run.json"
[[ "$(field "$record" state)" == complete ]] || fail "run cluster-run is not complete: $(cat "$record")"
[[ "$(field "$record" spark_master)" == "$master" ]] || fail "run cluster-run did not run on $master"
[[ $(wc -l <"$lake/runs/cluster-run/metrics.csv") -eq 3 ]] || fail "metrics.csv should hold 2 epochs rows"

# Both executors ran tasks of the training application (event log of its application).
log=$(grep -l '"App Name":"visionlake experiment residual"' "$events"/* | head -1)
[[ -n "$log" ]] || fail "no event log of the residual application in $events"
executors=$(grep '"Event":"SparkListenerTaskEnd"' "$log" | grep -o '"Executor ID":"[0-9]*"' | sort -u | wc -l)
[[ "$executors" -eq 2 ]] || fail "training tasks ran on $executors executor(s), expected 2"
echo "60-cluster: training tasks ran on $executors executors"

echo "60-cluster: killing an executor during training ($(( $(date +%s) - started ))s)"
submit experiment residual --dataset cifar-cd --blocks 1 --epochs 3 --batch-size 16 --workers 2 \
  --train-eval-images 64 --run-id cluster-kill --lake "$lake" >"$work/kill.out" 2>"$work/kill.log" &
driver=$!
worker_pid=$(cat "$VISIONLAKE_CLUSTER_DIR/worker-1.pid")
victim=""
for _ in $(seq 1 240); do
  if grep -q "train network=plain epoch=1/3 progress" "$work/kill.log" 2>/dev/null; then
    victim=$(pgrep -P "$worker_pid" -f CoarseGrainedExecutorBackend | head -1 || true)
    [[ -n "$victim" ]] && break
  fi
  kill -0 "$driver" 2>/dev/null || break
  sleep 0.5
done
[[ -n "$victim" ]] || fail "found no executor of worker 1 during training"
kill -9 "$victim"
echo "60-cluster: killed executor pid $victim of worker 1"
status=0
wait "$driver" || status=$?
record="$lake/runs/cluster-kill/_run.json"
[[ -f "$record" ]] || fail "run cluster-kill has no record after the executor loss"
state=$(field "$record" state)
if [[ $status -eq 0 ]]; then
  [[ "$state" == complete ]] || fail "the driver exited 0 but run cluster-kill is '$state'"
  [[ $(wc -l <"$lake/runs/cluster-kill/metrics.csv") -eq 7 ]] || fail "a complete run must have 6 metrics rows"
  [[ -f "$lake/runs/cluster-kill/models/residual.zip" ]] || fail "a complete run must have its models"
  echo "60-cluster: run recovered from the executor loss through Spark's task retries and is complete"
else
  [[ "$state" == failed ]] || fail "the driver failed (exit $status) but run cluster-kill is '$state', not failed"
  [[ -n "$(field "$record" error)" ]] || fail "the failed run cluster-kill records no error"
  [[ ! -f "$lake/runs/cluster-kill/metrics.csv" ]] || fail "a failed run must not publish results"
  echo "60-cluster: run failed with a clear record after the executor loss: $(field "$record" error | cut -c1-160)"
fi

echo "60-cluster: OK in $(( $(date +%s) - started ))s"
