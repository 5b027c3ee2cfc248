#!/usr/bin/env bash
# Real-data check of `visionlake ingest`: CIFAR-10 JPEGs (class folders), Kaggle cats-vs-dogs (labels in file
# names, with its known exact duplicates) and Fashion-MNIST (IDX), with exact counts per split and class.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared="${VISIONLAKE_SHARED:-$(cd .. && pwd)/shared}"
data="$shared/datasets"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lake="$work/lake"

fail() { echo "20-ingest-real: FAILED: $*" >&2; exit 1; }

# Asserts on a --json ingest summary with a small Python program; $2 is the Python body (r = the summary).
check() {
  python3 - "$1" "$2" <<'PY' || fail "$2 (summary: $1)"
import json, sys
r = json.load(open(sys.argv[1]))
c = r["counts"]
def per(split): return c.get(split, {})
def both(label): return per("train").get(label, 0) + per("val").get(label, 0)
try:
    exec(sys.argv[2])
except AssertionError as e:
    print("assertion failed:", e, file=sys.stderr)
    print("counts:", json.dumps(c), "quarantined:", r["quarantined"], "duplicates:", r["duplicates"], file=sys.stderr)
    sys.exit(1)
PY
}

echo "20-ingest-real: extracting CIFAR-10 and cats-vs-dogs to $work"
tar -xzf "$data/cifar10-jpg.tar.gz" -C "$work"
tar -xzf "$data/cats-vs-dogs-64.tar.gz" -C "$work"

echo "20-ingest-real: CIFAR-10 (60,000 JPEGs in class folders)"
bin/visionlake ingest "$work/cifar10" --name cifar10 --lake "$lake" --json >"$work/cifar10.json"
check "$work/cifar10.json" '
assert r["read"] == 60000 and r["written"] == 60000, (r["read"], r["written"])
assert not r["quarantined"], r["quarantined"]
assert r["shape"] == "32x32x3", r["shape"]
assert len(r["manifest"]["labels"]) == 10
for label in r["manifest"]["labels"]:
    assert both(label) == 5000, (label, both(label))
    assert per("test")[label] == 1000, (label, per("test")[label])
assert sum(per("train").values()) + sum(per("val").values()) == 50000
assert 4000 < sum(per("val").values()) < 6000, "val carve-out is not about 10%"
'
echo "20-ingest-real: CIFAR-10 ingest took $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["seconds"], "s,", r["imagesPerSecond"], "img/s")' "$work/cifar10.json")"

echo "20-ingest-real: cats-vs-dogs (25,000 JPEGs, class from the file name)"
bin/visionlake ingest "$work/cats-vs-dogs-64" --name cats-vs-dogs --format filename --lake "$lake" --json \
  >"$work/cvd.json"
# The set holds 6 exact duplicate files (3 cats, 3 dogs); each is kept once.
check "$work/cvd.json" '
assert r["read"] == 25000, r["read"]
assert r["duplicates"] == 6, r["duplicates"]
assert r["written"] == 24994, r["written"]
assert sorted(r["manifest"]["labels"]) == ["cat", "dog"]
assert both("cat") == 12497 and both("dog") == 12497, (both("cat"), both("dog"))
assert "test" not in c
'

echo "20-ingest-real: Fashion-MNIST (IDX, gzip)"
bin/visionlake ingest "$data/fashion-mnist" --name fashion-mnist --format idx --lake "$lake" --json \
  >"$work/fmnist.json"
check "$work/fmnist.json" '
assert r["read"] == 70000 and r["written"] == 70000, (r["read"], r["written"])
assert r["shape"] == "28x28x1", r["shape"]
for label in r["manifest"]["labels"]:
    assert both(label) == 6000, (label, both(label))
    assert per("test")[label] == 1000, (label, per("test")[label])
'

echo "20-ingest-real: the lake lists all three"
bin/visionlake datasets list --lake "$lake" --json >"$work/list.json"
python3 -c '
import json, sys
names = sorted(m["name"] for m in json.load(open(sys.argv[1])))
assert names == ["cats-vs-dogs", "cifar10", "fashion-mnist"], names' "$work/list.json" \
  || fail "datasets list does not show the three datasets"
echo "20-ingest-real: passed"
