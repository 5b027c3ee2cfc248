#!/usr/bin/env bash
# Real-data check of transfer learning: ingest 3,000 CIFAR-10 JPEGs and 380 cats-vs-dogs JPEGs, pretrain a small
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

echo "-- extracting 200 train + 100 test images per CIFAR-10 class and 190 per cats-vs-dogs class"
mkdir -p "$work/cifar" "$work/pets-src" "$work/pets/train" "$work/pets/test"
tar -xzf "$shared/datasets/cifar10-jpg.tar.gz" -C "$work/cifar" --wildcards \
  'cifar10/train/*/00[0-9][0-9].jpg' 'cifar10/train/*/01[0-9][0-9].jpg' 'cifar10/test/*/00[0-9][0-9].jpg'
tar -xzf "$shared/datasets/cats-vs-dogs-64.tar.gz" -C "$work/pets-src" --wildcards \
  'cats-vs-dogs-64/cat.1[0-9][0-9].jpg' 'cats-vs-dogs-64/dog.1[0-9][0-9].jpg' \
  'cats-vs-dogs-64/cat.[1-9][0-9].jpg' 'cats-vs-dogs-64/dog.[1-9][0-9].jpg'
# The flat cats-vs-dogs folder has no splits; numbers 100-199 train, 10-99 test.
mv "$work"/pets-src/cats-vs-dogs-64/*.1[0-9][0-9].jpg "$work/pets/train/"
mv "$work"/pets-src/cats-vs-dogs-64/*.jpg "$work/pets/test/"

vl ingest "$work/cifar/cifar10" --name cifar10 --format imagefolder >/dev/null
vl ingest "$work/pets" --name cats-vs-dogs --format filename >/dev/null

echo "-- pretraining a ResNet-8 on 600 CIFAR-10 images"
vl pretrain --dataset cifar10 --name cifar10-check --blocks 1 --epochs 1 --batch-size 32 --train-limit 600 \
  --eval-limit 200 --json > "$work/pretrain.json"

echo "-- transfer to cats-vs-dogs at sizes 20 and 60"
vl experiment transfer --source-model cifar10-check --target-dataset cats-vs-dogs --train-sizes 20,60 \
  --stage1-epochs 2 --stage2-epochs 1 --batch-size 16 --eval-limit 60 --json > "$work/transfer.json"

python3 - "$lake" "$work/transfer.json" <<'PY' || fail "see the assertion above"
import json, os, sys, glob
lake, out = sys.argv[1], json.load(open(sys.argv[2]))
model = json.load(open(os.path.join(lake, "models/cifar10-check/_model.json")))
assert os.path.isfile(os.path.join(lake, "models/cifar10-check/model.zip")), "model zip missing"
assert model["sourceDataset"] == "cifar10" and len(model["sourceFingerprint"]) == 16, model
assert model["inputShape"] == {"height": 32, "width": 32, "channels": 3}, model["inputShape"]
run_dir = os.path.join(lake, "runs", out["runId"])
run = json.load(open(os.path.join(run_dir, "_run.json")))
assert run["state"] == "complete", "run state is " + run["state"]
got = sorted((r["approach"], r["trainSize"]) for r in run["results"])
want = sorted((a, n) for a in ("scratch", "frozen", "finetune") for n in (20, 60))
assert got == want, "results %s, expected %s" % (got, want)
for r in run["results"]:
    assert 0 <= r["testAccuracy"] <= 1 and 0 < r["trainableParams"] <= r["totalParams"], r
frozen = [r for r in run["results"] if r["approach"] == "frozen"]
assert all(r["trainableParams"] < r["totalParams"] for r in frozen), "frozen backbone counted as trainable"
csv = open(os.path.join(run_dir, "metrics.csv")).read().splitlines()
assert len(csv) == 1 + 2 * (2 + 2 + 1), "metrics.csv has %d lines" % len(csv)
assert glob.glob(os.path.join(run_dir, "metrics", "*.parquet")), "no metrics Parquet"
key = out["featureCache"]["key"]
assert os.path.isfile(os.path.join(lake, "features", key, "_features.json")), "feature cache manifest missing"
print("50-transfer-real: ok: run %s, test accuracy by approach/size: %s" % (out["runId"],
      {"%s/%d" % (r["approach"], r["trainSize"]): round(r["testAccuracy"], 3) for r in run["results"]}))
PY
