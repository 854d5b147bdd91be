#!/usr/bin/env bash
# The few-label table: the features and fine-tune strategies at 10 and 50 labels per class,
# DeepClass against the PyTorch peer, 5 seeds, accuracy (mean and spread) and time from process
# start to trained model. Same backbone as bench/transfer_table.sh (resnet18 pretrained by the
# peer on Fashion-MNIST, 32 px, ONNX for DeepClass, state dict for the peer) and the same
# images: for each seed and count a folder with the chosen training images is written once and
# both sides train on exactly it (per_class 0), then classify the same 360 test digits.
# Runs are paired: peer and DeepClass one after the other, the order alternating by seed, so a
# busy shared machine slows both alike.
#   bench/few_labels.sh [epochs, default 10] [seeds, default 5]
# Prints the table and writes it as target/transfer-table/few-labels.csv (docs/data/few_labels.csv).
# Needs /usr/bin/python3 with python3-torch, python3-torchvision, python3-sklearn, python3-pil.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${1:-10}
SEEDS=${2:-5}
PEER=${PEER:-../shared/bench/pytorch_transfer_peer.py}
OUT=target/transfer-table; mkdir -p "$OUT"
RESULTS=$OUT/few-labels.jsonl
[ -n "${RESUME:-}" ] && touch "$RESULTS" || : > "$RESULTS" # RESUME=1: keep the runs done
export OMP_NUM_THREADS=2
. bench/transfer_inputs.sh
transfer_inputs few_labels.sh
jar=$(ls target/DeepClass_-*.jar 2>/dev/null | grep -v -- -gpu | head -n 1 || true)
if [ ! -f target/classpath.txt ] || [ -z "$jar" ] || [ -n "$(find target/classes target/test-classes \
  -newer "$jar" -name '*.class' 2>/dev/null | head -n 1)" ]; then
  mvn -q -DskipTests package dependency:build-classpath -DincludeScope=test \
    -Dmdep.outputFile=target/classpath.txt
  jar=$(ls target/DeepClass_-*.jar | grep -v -- -gpu | head -n 1)
fi
# DeepClass runs as the deepclass launcher runs it: from jars, with its class data sharing archive
# (scripts/cds.sh), which one run before the table writes, as a user's first run does (Python's
# byte code, likewise, was compiled once when torch was installed)
mkdir -p target/bench && (cd target/test-classes && jar cf ../bench/deepclass-tests.jar .)
CP="$PWD/target/bench/deepclass-tests.jar:$PWD/$jar:$(cat target/classpath.txt)"
export XDG_CACHE_HOME=$PWD/target/bench/cache
# TransferTable as both the measured runs and the unmeasured first one start it
transfer_table() { (. scripts/cds.sh; cds_java few-labels "$CP" -Xmx4g -XX:TieredStopAtLevel=1 \
  -Djava.awt.headless=true io.deepclass.demo.TransferTable "$@"); }
done_already() { grep -q "\"$1\".*\"strategy\": \"$4\".*\"seed\": $2,.*\"n\": $3}" "$RESULTS"; }
peer() { # seed n strategy folder
  done_already pytorch "$1" "$2" "$3" && return
  BENCH_START_NS=$(date +%s%N) /usr/bin/python3 bench/peer_timed.py "$PEER" transfer --backbone resnet18 \
    --size 32 --weights "$OUT/pre/backbone.pt" --train "$4" --test "$OUT/digits/test" --per-class 0 \
    --strategy "$3" --epochs "$EPOCHS" --seed "$1" 2>/dev/null | sed "s/}\$/, \"n\": $2}/" >> "$RESULTS"
}
deepclass() {
  done_already deepclass "$1" "$2" "$3" && return
  BENCH_START_NS=$(date +%s%N) transfer_table "$OUT/pre/backbone.onnx" "$4" "$OUT/digits/test" 0 "$3" "$EPOCHS" \
    "$1" 2>&1 | grep '^{' | sed "s/}\$/, \"n\": $2}/" >> "$RESULTS"
}
for seed in $(seq 0 $((SEEDS - 1))); do
  for n in 10 50; do
    folder=$OUT/few/s$seed-n$n
    [ -d "$folder" ] || /usr/bin/python3 - "$OUT/digits/train" "$folder" "$n" "$seed" <<'PY'
import os, shutil, sys
import numpy as np
src, dst, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(seed)
for c in sorted(os.listdir(src)):
    files = sorted(os.listdir(os.path.join(src, c)))
    os.makedirs(os.path.join(dst, c))
    for i in sorted(rng.choice(len(files), n, replace=False)):
        shutil.copy(os.path.join(src, c, files[i]), os.path.join(dst, c))
PY
  done
done
# one run of each side before the table, not measured: DeepClass's writes the class data sharing
# archive; both read their libraries into the page cache, so the first measured pair is not
# slower than the rest (the peer's first run took 4.2 s against 2.2-3.0 s without this)
transfer_table "$OUT/pre/backbone.onnx" "$OUT/few/s0-n10" "$OUT/digits/test" 0 features "$EPOCHS" 0 >/dev/null 2>&1
/usr/bin/python3 "$PEER" transfer --backbone resnet18 --size 32 --weights "$OUT/pre/backbone.pt" \
  --train "$OUT/few/s0-n10" --test "$OUT/digits/test" --per-class 0 --strategy features \
  --epochs "$EPOCHS" --seed 0 >/dev/null 2>&1
# features for every seed first (seconds each), then fine-tuning (minutes each)
for s in features finetune; do
  for seed in $(seq 0 $((SEEDS - 1))); do
    for n in 10 50; do
      folder=$OUT/few/s$seed-n$n
      if [ $((seed % 2)) -eq 0 ]; then peer "$seed" "$n" "$s" "$folder"; deepclass "$seed" "$n" "$s" "$folder"
      else deepclass "$seed" "$n" "$s" "$folder"; peer "$seed" "$n" "$s" "$folder"; fi
      tail -2 "$RESULTS" | cut -c1-240
    done
  done
done
/usr/bin/python3 - "$RESULTS" "$OUT/few-labels.csv" <<'PY'
import csv, json, statistics as st, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def values(side, n, s, key, scale=1):
    return [scale * r[key] for r in rows if r["peer"] == side and r["n"] == n and r["strategy"] == s and key in r]
with open(sys.argv[2], "w", newline="") as f:  # the figures of docs/data/few_labels.csv
    w = csv.writer(f)
    w.writerow(["labels_per_class", "strategy", "deepclass_acc", "deepclass_acc_sd", "peer_acc", "peer_acc_sd",
                "deepclass_model_s", "peer_model_s", "runs"])
    for n in (10, 50):
        for s in ("features", "finetune"):
            a, b = values("deepclass", n, s, "test_acc", 100), values("pytorch", n, s, "test_acc", 100)
            ta, tb = values("deepclass", n, s, "model_s"), values("pytorch", n, s, "model_s")
            if not (a and b): continue
            sd = lambda v: st.stdev(v) if len(v) > 1 else 0.0
            w.writerow([n, s, f"{st.mean(a):.1f}", f"{sd(a):.1f}", f"{st.mean(b):.1f}", f"{sd(b):.1f}",
                        f"{st.mean(ta):.1f}", f"{st.mean(tb):.1f}", min(len(a), len(b))])
def cell(side, n, s, key, scale=1, fmt="{:.1f}"):
    v = [scale * r[key] for r in rows if r["peer"] == side and r["n"] == n and r["strategy"] == s and key in r]
    if not v: return "-"
    return (fmt + " ± " + fmt).format(st.mean(v), st.stdev(v) if len(v) > 1 else 0) + f" ({len(v)})"
print("| labels per class | strategy | DeepClass accuracy % | peer accuracy % | DeepClass start-to-model s | peer start-to-model s |")
print("|---|---|---|---|---|---|")
for n in (10, 50):
    for s in ("features", "finetune"):
        print(f"| {n} | {s} | {cell('deepclass', n, s, 'test_acc', 100)} | {cell('pytorch', n, s, 'test_acc', 100)} "
              f"| {cell('deepclass', n, s, 'model_s')} | {cell('pytorch', n, s, 'model_s')} |")
print("mean ± standard deviation over seeds (number of runs); start-to-model: from launching the process"
      " (JVM or Python interpreter) to the trained model, before the test images are classified")
PY
