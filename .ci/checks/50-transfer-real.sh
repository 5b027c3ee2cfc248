#!/usr/bin/env bash
# Real-data check of transfer learning: ingest 400 CIFAR-10 JPEGs and 380 cats-vs-dogs JPEGs (flat folder, split
# by content hash into train/val/test), pretrain a small
# CIFAR ResNet on Spark, transfer it to cats-vs-dogs at two training sizes, and check that the model registry, the
# feature cache and the run record (three approaches per size, metrics Parquet + CSV) are all complete.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared="${VISIONLAKE_SHARED:-$(cd .. && pwd)/shared}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lake="$work/lake"
vl() { bin/visionlake "$@" --lake "$lake"; }
fail() { echo "50-transfer-real: FAILED: $*" >&2; exit 1; }

echo "-- extracting 30 train + 10 test images per CIFAR-10 class and 190 per cats-vs-dogs class"
mkdir -p "$work/cifar" "$work/pets-src"
tar -xzf "$shared/datasets/cifar10-jpg.tar.gz" -C "$work/cifar" --wildcards \
  'cifar10/train/*/00[0-2][0-9].jpg' 'cifar10/test/*/000[0-9].jpg'
tar -xzf "$shared/datasets/cats-vs-dogs-64.tar.gz" -C "$work/pets-src" --wildcards \
  'cats-vs-dogs-64/cat.1[0-9][0-9].jpg' 'cats-vs-dogs-64/dog.1[0-9][0-9].jpg' \
  'cats-vs-dogs-64/cat.[1-9][0-9].jpg' 'cats-vs-dogs-64/dog.[1-9][0-9].jpg'

vl ingest "$work/cifar/cifar10" --name cifar10 --format imagefolder >/dev/null
# The cats-vs-dogs folder is flat (no split folders): val and test come from the ingest's content-hash split.
vl ingest "$work/pets-src/cats-vs-dogs-64" --name cats-vs-dogs --format filename \
  --val-fraction 0.2 --test-fraction 0.3 --json > "$work/pets-ingest.json"

echo "-- pretraining a ResNet-8 on 200 CIFAR-10 images"
vl pretrain --dataset cifar10 --name cifar10-check --blocks 1 --epochs 1 --batch-size 16 --train-limit 200 \
  --eval-limit 50 --json > "$work/pretrain.json"

echo "-- transfer to cats-vs-dogs at sizes 20 and 40"
vl experiment transfer --source-model cifar10-check --target-dataset cats-vs-dogs --train-sizes 20,40 \
  --stage1-epochs 2 --stage2-epochs 1 --batch-size 8 --eval-limit 40 --json > "$work/transfer.json"

python3 - "$lake" "$work/transfer.json" <<'PY' || fail "see the assertion above"
import json, os, sys, glob
lake, out = sys.argv[1], json.load(open(sys.argv[2]))
model = json.load(open(os.path.join(lake, "models/cifar10-check/_model.json")))
assert os.path.isfile(os.path.join(lake, "models/cifar10-check/model.zip")), "model zip missing"
assert model["sourceDataset"] == "cifar10" and len(model["sourceFingerprint"]) == 16, model
assert model["inputShape"] == {"height": 32, "width": 32, "channels": 3}, model["inputShape"]
run_dir = os.path.join(lake, "runs", out["run_id"])
run = json.load(open(os.path.join(run_dir, "_run.json")))
assert run["state"] == "complete", "run state is " + run["state"]
assert run["experiment"] == "transfer", run["experiment"]
config = run["configuration"]
for k in ("source_model", "target_dataset", "train_sizes", "stage1_epochs", "stage2_epochs", "batch_size", "seed"):
    assert k in config, "configuration has no %s: %s" % (k, sorted(config))
results = run["metrics"]["results"]
got = sorted((r["approach"], r["train_size"]) for r in results)
want = sorted((a, n) for a in ("scratch", "frozen", "finetune") for n in (20, 40))
assert got == want, "results %s, expected %s" % (got, want)
for r in results:
    assert 0 <= r["test_accuracy"] <= 1 and 0 < r["trainable_params"] <= r["total_params"], r
    assert r["test_images"] > 0, "no test images: %s" % r
frozen = [r for r in results if r["approach"] == "frozen"]
assert all(r["trainable_params"] < r["total_params"] for r in frozen), "frozen backbone counted as trainable"
csv = open(os.path.join(run_dir, "metrics.csv")).read().splitlines()
assert csv[0] == ("approach,train_size,stage,epoch,train_loss,train_accuracy,val_loss,val_accuracy,"
                  "epoch_seconds,images_per_second"), csv[0]
assert len(csv) == 1 + 2 * (2 + 2 + 1), "metrics.csv has %d lines" % len(csv)
assert glob.glob(os.path.join(run_dir, "metrics.parquet", "*.parquet")), "no metrics Parquet"
key = out["feature_cache"]["key"]
assert os.path.isfile(os.path.join(lake, "features", key, "_features.json")), "feature cache manifest missing"
print("50-transfer-real: ok: run %s, test accuracy by approach/size: %s" % (out["run_id"],
      {"%s/%d" % (r["approach"], r["train_size"]): round(r["test_accuracy"], 3) for r in results}))
PY
