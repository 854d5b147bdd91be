#!/usr/bin/env bash
# Classify a long list of images in K shards, then merge the shard CSVs into one CSV in the
# list's order. Here the shards run as K local processes; on a cluster each would be one task of
# a job array (see docs/clusters.md, "On many machines: shards").
#
#   scripts/shard_classify.sh MODEL.zip LIST.txt OUT.csv K [WORKDIR]
#
# LIST: one image path per line (relative paths are taken from LIST's folder). The shards are K
# contiguous pieces of LIST, written to WORKDIR (default OUT.csv.shards/) with their CSVs and logs;
# a shard that was interrupted can be run again with resume (the same command; resume is on).
# Classpath: $DEEPCLASS_CP, else target/classes + the Maven runtime classpath (built if missing).
# JVM options: $DEEPCLASS_JVM_OPTS (default -Xmx1g); native threads per shard: $OMP_NUM_THREADS
# (default 1, so K shards share the cores instead of fighting over them).
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,15p' "$0"; exit 2; }
MODEL=$1; LIST=$2; OUT=$3; K=$4; WORK=${5:-$OUT.shards}
HERE="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${DEEPCLASS_CP:-}" ]; then
  if [ ! -f "$HERE/target/classpath.txt" ]; then
    (cd "$HERE" && mvn -q -o dependency:build-classpath -DincludeScope=runtime \
      -Dmdep.outputFile=target/classpath.txt)
  fi
  DEEPCLASS_CP="$HERE/target/classes:$(cat "$HERE/target/classpath.txt")"
fi
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
mkdir -p "$WORK"
LIST_ABS="$(cd "$(dirname "$LIST")" && pwd)/$(basename "$LIST")"

# K contiguous shards, paths made absolute so that the shard lists can live anywhere
awk -v k="$K" -v dir="$(dirname "$LIST_ABS")" -v work="$WORK" '
  /^[[:space:]]*$/ || /^#/ { next }
  { p = $0; sub(/^[[:space:]]+/, "", p); sub(/[[:space:]]+$/, "", p)
    if (substr(p, 1, 1) != "/") p = dir "/" p; lines[n++] = p }
  END { for (s = 0; s < k; s++) printf "" > (work "/shard-" s ".txt")
        for (i = 0; i < n; i++) print lines[i] > (work "/shard-" int(i * k / n) ".txt") }' "$LIST_ABS"

pids=()
shards=()
for ((s = 0; s < K; s++)); do
  [ -s "$WORK/shard-$s.txt" ] || continue # fewer files than shards
  shards+=("$WORK/shard-$s.csv")
  # shellcheck disable=SC2086  # JVM options are words
  java -Djava.awt.headless=true ${DEEPCLASS_JVM_OPTS:--Xmx1g} -cp "$DEEPCLASS_CP" io.deepclass.ij.bridge.Headless \
    "$HERE/macros/classify_list_headless.ijm" \
    "model=$MODEL;list=$WORK/shard-$s.txt;csv=$WORK/shard-$s.csv;resume=true" \
    > "$WORK/shard-$s.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || { echo "shard ${shards[$i]%.csv} failed, see ${shards[$i]%.csv}.log"; failed=1; }
done
[ $failed = 0 ] || exit 1
java -cp "$DEEPCLASS_CP" io.deepclass.cluster.MergeShards "$LIST_ABS" "$OUT" "${shards[@]}"
