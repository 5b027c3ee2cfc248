#!/usr/bin/env bash
# Real-data check of `visionlake augment`: ingests 400 real CIFAR-10 JPEGs (cat and dog), augments the train split
# with 2 copies twice with the same seed (on different partitionings) and once with another seed, and checks that
# the same seed gives the same fingerprint, another seed a different one, and that val/test are carried over as is.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
vl="$home/bin/visionlake"
shared="${VISIONLAKE_SHARED:-$(cd "$home/.." && pwd)/shared}"
archive="$shared/datasets/cifar10-jpg.tar.gz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lake="$work/lake"
started=$(date +%s)

fail() {
  echo "30-augment-real: FAIL: $*" >&2
  exit 1
}

[[ -f "$archive" ]] || fail "real dataset $archive not found; set VISIONLAKE_SHARED to the folder holding datasets/"

# Only the root usage lists the subcommands this build has; `visionlake ingest --help` alone would print it too.
if ! "$vl" --help | grep -qE '^[[:space:]]+ingest[[:space:]]'; then
  echo "30-augment-real: SKIP: this build has no 'visionlake ingest' to create the source dataset;"\
    "AugmentJobTest covers augment on real CIFAR-10 JPEGs"
  exit 0
fi

# Compact JSON on one line, so that fields can be picked out without jq (not on every CI machine).
field() { tr -d ' \n' <"$1" | grep -o "\"$2\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }
object() { tr -d ' \n' <"$1" | grep -o "\"$2\":{[^}]*}" | head -1; }

echo "30-augment-real: extracting 300 train and 100 test images (cat, dog)"
tar tzf "$archive" \
  | grep -E '^cifar10/(train|test)/(cat|dog)/[^/]+\.jpg$' \
  | awk -F/ '{ n[$2 "/" $3]++; if (($2 == "train" && n[$2 "/" $3] <= 150) || ($2 == "test" && n[$2 "/" $3] <= 50)) print }' \
    >"$work/list"
[[ $(wc -l <"$work/list") -eq 400 ]] || fail "expected 400 CIFAR-10 files in $archive, found $(wc -l <"$work/list")"
tar xzf "$archive" -C "$work" -T "$work/list"

"$vl" ingest "$work/cifar10" --name cifar-cd --lake "$lake" --json >"$work/ingest.json" \
  || fail "ingest of $work/cifar10 failed"
"$vl" datasets show cifar-cd --lake "$lake" --json >"$work/source.json"
source_fp=$(field "$work/source.json" fingerprint)
echo "30-augment-real: source dataset splits $(object "$work/source.json" splitTotals) fingerprint $source_fp"

augment() {
  local name=$1 seed=$2 partitions=$3
  "$vl" augment --lake "$lake" --dataset cifar-cd --split train --name "$name" --copies 2 --seed "$seed" \
    --partitions "$partitions" --rotation-degrees 10 --brightness 0.2 --contrast 0.2 --json >"$work/$name.json" \
    || fail "augment --name $name --seed $seed failed"
  echo "30-augment-real: $name (seed $seed, $partitions partitions): $(object "$work/$name.json" imagesOut)" \
    "fingerprint $(field "$work/$name.json" fingerprint)"
}
augment aug-a 7 1
augment aug-b 7 3
augment aug-c 8 0

fp_a=$(field "$work/aug-a.json" fingerprint)
fp_b=$(field "$work/aug-b.json" fingerprint)
fp_c=$(field "$work/aug-c.json" fingerprint)
[[ -n "$fp_a" ]] || fail "no fingerprint in the summary of aug-a: $(cat "$work/aug-a.json")"
[[ "$fp_a" == "$fp_b" ]] || fail "same seed 7 gave fingerprints $fp_a (1 partition) and $fp_b (3 partitions)"
[[ "$fp_a" != "$fp_c" ]] || fail "seeds 7 and 8 gave the same fingerprint $fp_a"

# Train doubles, val and test are carried over unchanged.
in_splits=$(object "$work/aug-a.json" imagesIn)
out_splits=$(object "$work/aug-a.json" imagesOut)
count() { echo "$1" | grep -o "\"$2\":[0-9]*" | cut -d: -f2; }
train_in=$(count "$in_splits" train)
[[ $(count "$out_splits" train) -eq $((2 * train_in)) ]] \
  || fail "expected 2 x $train_in train images out, summary says $out_splits"
for split in val test; do
  [[ "$(count "$out_splits" $split)" == "$(count "$in_splits" $split)" ]] \
    || fail "split $split should be carried over unchanged: in $in_splits, out $out_splits"
done

"$vl" datasets show aug-a --lake "$lake" --json >"$work/aug-a-show.json"
[[ "$(field "$work/aug-a-show.json" kind)" == augmented ]] || fail "aug-a is not of kind augmented"
[[ "$(field "$work/aug-a-show.json" sourceFingerprint)" == "$source_fp" ]] \
  || fail "aug-a's lineage does not name the source fingerprint $source_fp"

echo "30-augment-real: OK in $(( $(date +%s) - started ))s (same seed $fp_a twice, other seed $fp_c)"
