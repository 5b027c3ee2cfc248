#!/usr/bin/env bash
# Real-data check of `visionlake experiment residual`: ingests 2,000 train / 500 test CIFAR-10 JPEGs (4 classes)
# with `visionlake ingest --format imagefolder`, trains plain and residual networks (1 block per stage, 2 epochs,
# 2 workers) on Spark and checks the run record: both models, metrics for every epoch, accuracy above chance,
# the gradient table complete. Writes only under a mktemp -d folder.
set -euo pipefail
cd "$(dirname "$0")/../.."

shared="${VISIONLAKE_SHARED:-$(cd .. && pwd)/shared}"
archive="$shared/datasets/cifar10-jpg.tar.gz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "40-residual-real: FAILED: $*" >&2; exit 1; }
[[ -f "$archive" ]] || fail "missing $archive"

classes=(airplane automobile frog ship)
mkdir -p "$work/extract" "$work/images"
tar -xzf "$archive" -C "$work/extract" --wildcards \
  $(for c in "${classes[@]}"; do echo "cifar10/train/$c/*" "cifar10/test/$c/*"; done)
for c in "${classes[@]}"; do
  mkdir -p "$work/images/train/$c" "$work/images/test/$c"
  find "$work/extract/cifar10/train/$c" -name '*.jpg' | sort | sed -n 1,500p | xargs cp -t "$work/images/train/$c"
  find "$work/extract/cifar10/test/$c" -name '*.jpg' | sort | sed -n 1,125p | xargs cp -t "$work/images/test/$c"
done
rm -rf "$work/extract"

lake="$work/lake"
bin/visionlake ingest --lake "$lake" --format imagefolder --name cifar4 "$work/images" >"$work/ingest.log" 2>&1 \
  || { tail -n 30 "$work/ingest.log" >&2; fail "ingest of $work/images failed"; }

bin/visionlake experiment residual --lake "$lake" --dataset cifar4 --blocks 1 --epochs 2 --batch-size 32 \
  --learning-rate 0.05 --schedule cosine --workers 2 --averaging-frequency 5 --train-eval-images 256 \
  --run-id real-check --json >"$work/run.json" 2>"$work/run.log" \
  || { tail -n 40 "$work/run.log" >&2; fail "experiment run failed"; }

run="$lake/runs/real-check"
python3 - "$run" <<'PY' || fail "run record check failed (see above)"
import csv, json, os, sys
run = sys.argv[1]
record = json.load(open(os.path.join(run, "_run.json")))
problems = []
if record["state"] != "complete":
    problems.append(f"state is {record['state']}, expected complete: {record.get('error')}")
for f in ["models/plain.zip", "models/residual.zip", "metrics.csv", "gradient_flow.csv",
          "summaries/plain.json", "summaries/residual.json"]:
    if not os.path.isfile(os.path.join(run, f)):
        problems.append(f"missing {f}")
rows = list(csv.DictReader(open(os.path.join(run, "metrics.csv"))))
for network in ["plain", "residual"]:
    epochs = sorted(int(r["epoch"]) for r in rows if r["network"] == network)
    if epochs != [1, 2]:
        problems.append(f"{network}: metrics for epochs {epochs}, expected [1, 2]")
    final = [r for r in rows if r["network"] == network and r["epoch"] == "2"]
    if final and float(final[0]["val_accuracy"]) <= 0.35:
        problems.append(f"{network}: val accuracy {final[0]['val_accuracy']} not above chance (0.25) by 0.1")
grads = list(csv.DictReader(open(os.path.join(run, "gradient_flow.csv"))))
for network, layers in [("plain", 8), ("residual", 10)]:
    for epoch in ["0", "1", "2"]:
        n = sum(1 for g in grads if g["network"] == network and g["epoch"] == epoch)
        if n != layers:
            problems.append(f"{network} epoch {epoch}: {n} gradient rows, expected {layers}")
bad = [g for g in grads if not float(g["mean_abs_gradient"]) > 0]
if bad:
    problems.append(f"{len(bad)} gradient rows without a positive mean gradient")
for p in problems:
    print("40-residual-real:", p, file=sys.stderr)
if problems:
    sys.exit(1)
for r in rows:
    print(f"  {r['network']:9s} epoch {r['epoch']}: train_loss={float(r['train_loss']):.3f}"
          f" val_accuracy={float(r['val_accuracy']):.3f} img/s={float(r['images_per_second']):.1f}")
PY
echo "40-residual-real: OK (run record complete, both models, 2 epochs, gradient table complete)"
