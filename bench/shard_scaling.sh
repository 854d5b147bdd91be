#!/usr/bin/env bash
# Job-array scaling on one machine: N Fashion-MNIST test images (PNG) cut by `deepclass shard`
# into K shards, K `deepclass classify` processes at once (each with OMP_NUM_THREADS = cores / K,
# at least 1, as a job array's tasks each get their cores), then `deepclass merge`; for each K in
# KS. Prints the wall-clock seconds of the classify step (JVM start-up and model loading of every
# task included, as on a cluster), images/s and the speed-up over K = 1, and checks that every
# K's merged CSV equals K = 1's byte for byte.
#
#   bench/shard_scaling.sh [N=20000] [KS="1 2 4"]
#
# The model: mlp100 trained 2 epochs on 2000 training images by `deepclass train`. Files are kept
# in target/bench/shards/ and reused when N matches. There is no PyTorch peer for this: it
# measures how DeepClass's own tasks share a machine.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000} ks=${2:-1 2 4}
out=$PWD/target/bench/shards
mkdir -p "$out"
mvn -q -o -B compile dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile=target/classpath.txt
export DEEPCLASS_CP="$PWD/target/classes:$(cat target/classpath.txt)"
deepclass=$PWD/scripts/deepclass
cores=$(nproc)
data=$out/data-$n
if [ ! -f "$data/.done" ]; then
  rm -rf "$data"
  /usr/bin/python3 examples/slurm/fashion_pngs.py "${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}" \
    "$data" 2000 "$n"
  touch "$data/.done"
fi
if [ ! -f "$data/m.zip" ]; then
  "$deepclass" train --folder "$data/train" --model "$data/m.zip" --architecture mlp100 --epochs 2 \
    --optimizer adam --learning-rate 0.001 >/dev/null 2>"$out/train.log"
fi
echo "bench: $n images, $cores cores ($(uptime | sed 's/.*load average/load average/'))"
printf '%-3s %-8s %-10s %-9s %s\n' K threads seconds images/s speed-up
base=""
for k in $ks; do
  run=$out/k$k
  rm -rf "$run" && mkdir -p "$run"
  "$deepclass" shard --list "$data/todo.txt" --shards "$k" --out "$run" >/dev/null 2>&1
  threads=$(( cores / k > 0 ? cores / k : 1 ))
  t0=$(date +%s.%N)
  pids=()
  for ((s = 0; s < k; s++)); do
    OMP_NUM_THREADS=$threads DEEPCLASS_JVM_OPTS=-Xmx1g "$deepclass" classify --model "$data/m.zip" \
      --list "$run/shard-$s.txt" --csv "$run/shard-$s.csv" 2>"$run/shard-$s.log" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { echo "bench: a task failed, see $run/*.log"; exit 1; }; done
  t1=$(date +%s.%N)
  "$deepclass" merge --list "$data/todo.txt" --csv "$run/out.csv" "$run"/shard-*.csv 2>/dev/null
  secs=$(echo "$t1 - $t0" | bc -l)
  [ -n "$base" ] || base=$secs
  [ "$k" = "$(echo "$ks" | awk '{ print $1 }')" ] || cmp -s "$run/out.csv" "$out/k$(echo "$ks" | awk '{ print $1 }')/out.csv" \
    || { echo "bench: K=$k's merged CSV differs from K=$(echo "$ks" | awk '{ print $1 }')'s"; exit 1; }
  printf '%-3s %-8s %-10.1f %-9.0f %.2f\n' "$k" "$threads" "$secs" "$(echo "$n / $secs" | bc -l)" \
    "$(echo "$base / $secs" | bc -l)"
done
