#!/usr/bin/env bash
# Ingest benchmark: VisionLake's ingest against Spark's built-in `image` data source, both writing Parquet from the
# same 60,000 CIFAR-10 JPEGs, in one run on one machine. Extraction is not timed; each side is timed inside its JVM
# after the Spark session is up (listing, decoding, Parquet write). Prints both rates and their ratio.
#   usage: scripts/bench-ingest.sh [path/to/cifar10-jpg.tar.gz]
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${VISIONLAKE_SHARED:-$home/../shared}"
archive="${1:-$shared/datasets/cifar10-jpg.tar.gz}"
[[ -f "$archive" ]] || { echo "bench-ingest: $archive not found; pass the CIFAR-10 JPEG archive" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "bench-ingest: extracting $archive (not timed)" >&2
tar -xzf "$archive" -C "$work"
source_dir="$work/cifar10"
[[ -d "$source_dir" ]] || source_dir="$work"
[[ -f "$home/target/visionlake.jar" ]] || (cd "$home" && mvn -B -q -DskipTests package >&2)

flags=$(sed -n 's/^spark\.driver\.extraJavaOptions[[:space:]]*//p' "$home/spark-conf/spark-defaults.conf")
cp="$home/target/visionlake.jar:$home/target/lib/*"
log4j="-Dlog4j.configurationFile=$home/spark-conf/log4j2.properties"

echo "bench-ingest: VisionLake ingest" >&2
"$home/bin/visionlake" ingest "$source_dir" --name cifar10-bench --lake "$work/lake" --json >"$work/ingest.json"
read -r vl_images vl_seconds < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1])); print(r["read"], r["seconds"])' "$work/ingest.json")

echo "bench-ingest: Spark built-in image source" >&2
# shellcheck disable=SC2086
builtin_line=$(java -Xmx8g $flags "$log4j" -cp "$cp" org.visionlake.bench.BuiltinImageSourceBench \
  "$source_dir" "$work/builtin-parquet" | grep '^builtin ')
bi_images=$(sed -E 's/.*images=([0-9]+).*/\1/' <<<"$builtin_line")
bi_seconds=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$builtin_line")

python3 - "$vl_images" "$vl_seconds" "$bi_images" "$bi_seconds" <<'PY'
import sys
vi, vs, bi, bs = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
vr, br = vi / vs, bi / bs
print(f"visionlake ingest : {vi} images in {vs:.1f} s = {vr:.0f} img/s")
print(f"spark image source: {bi} images in {bs:.1f} s = {br:.0f} img/s")
print(f"ratio             : {vr / br:.1f}x")
PY
