#!/usr/bin/env bash
# Submits a VisionLake command to a Spark cluster: scripts/submit.sh [spark-submit options] -- <visionlake args>
#   scripts/submit.sh --master spark://127.0.0.1:17077 -- ingest /data/cifar10 --name cifar10 --lake hdfs://nn/lake
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set, else runs spark-submit from the project's own jars
# (target/lib). The application jar is target/visionlake-cluster.jar (built by mvn package): Spark, Scala and Hadoop
# come from the cluster, ND4J and its linux-x86_64 natives travel inside it to the executors.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="${VISIONLAKE_APP_JAR:-$home/target/visionlake-cluster.jar}"
props="${VISIONLAKE_SPARK_PROPERTIES:-$home/spark-conf/spark-defaults.conf}"

[[ -f "$app" ]] || { echo "submit.sh: $app not found; run mvn -B -DskipTests package first" >&2; exit 2; }

submit_opts=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  submit_opts+=("$1")
  shift
done
[[ $# -gt 0 ]] || { echo "submit.sh: usage: submit.sh [spark-submit options] -- <visionlake command and options>" >&2; exit 2; }
shift

flags=$(sed -n 's/^spark\.driver\.extraJavaOptions[[:space:]]*//p' "$props")
if [[ -n "${SPARK_HOME:-}" ]]; then
  submit=("$SPARK_HOME/bin/spark-submit")
else
  [[ -d "$home/target/lib" ]] || { echo "submit.sh: no SPARK_HOME and no $home/target/lib; run mvn package" >&2; exit 2; }
  # The driver runs inside this JVM (client mode), so it needs the module flags and the logging set-up itself.
  submit=(java ${VISIONLAKE_JAVA_OPTS:--Xmx3g} $flags -Dlog4j.configurationFile="$home/spark-conf/log4j2.properties"
    -cp "$home/target/lib/*" org.apache.spark.deploy.SparkSubmit)
fi

exec "${submit[@]}" --properties-file "$props" --class org.visionlake.cli.VisionLake "${submit_opts[@]}" "$app" "$@"
