#!/usr/bin/env bash
# DeepClass vs the PyTorch peer on the same machine, data and architectures, side by side.
# For each architecture and batch size: one run of DeepClass (the demo, 2 native threads) and one
# of ../shared/bench/pytorch_peer.py (2 threads), each training N epochs on the full
# Fashion-MNIST and evaluating on its 10 000 test images. Prints a table and, for machines,
# one JSON line per run (also in target/bench/results.jsonl).
#
#   bench/bench.sh [--epochs N] [--models "linear mlp100 ..."] [--batches "64 256"]
#
# Needs: dataset-fashion-mnist, and for the peer /usr/bin/python3 with python3-torch and
# libopenblas0-pthread (apt-get install python3-torch libopenblas0-pthread). DeepClass's peak
# memory is the JVM's maximum resident set size from /usr/bin/time. Both sides train with SGD at
# the peer's constant learning rate 0.01 (not the demo's bncnn recipe), so the runs compare.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=1
MODELS="linear mlp100 mlp512 onecnn multicnn lenet bncnn"
BATCHES="64 256"
THREADS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) EPOCHS=$2; shift 2 ;;
    --models) MODELS=$2; shift 2 ;;
    --batches) BATCHES=$2; shift 2 ;;
    *) echo "bench: unknown option $1 (see the header of $0)"; exit 2 ;;
  esac
done
PEER=${PEER:-../shared/bench/pytorch_peer.py}
FM=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
[ -d "$FM" ] || { echo "bench: $FM missing (apt-get install dataset-fashion-mnist)"; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)"; exit 2; }
have_peer=1
if [ ! -f "$PEER" ] || ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "bench: the PyTorch peer cannot run (needs $PEER and /usr/bin/python3 with torch:"
  echo "       apt-get install python3-torch libopenblas0-pthread); DeepClass only"
  have_peer=0
fi

mvn -q -DskipTests package dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/classpath.txt
OUT=target/bench; mkdir -p "$OUT"; : > "$OUT/results.jsonl"
CP="target/test-classes:target/classes:$(cat target/classpath.txt)"
export OMP_NUM_THREADS=$THREADS

for model in $MODELS; do
  for batch in $BATCHES; do
    log="$OUT/deepclass-$model-$batch.log"
    # shellcheck disable=SC2086  # JVM options as demo.sh sets them (see there)
    /usr/bin/time -f "%M" -o "$OUT/rss" java -Xmx2g ${DEEPCLASS_JVM_OPTS--XX:TieredStopAtLevel=1} -cp "$CP" io.deepclass.demo.FashionMnistDemo \
      --model "$model" --epochs "$EPOCHS" --batch "$batch" --data-dir "$FM" \
      --lr 0.01 --schedule constant --out "$OUT/$model-$batch.zip" > "$log" 2>&1 || { echo "bench: DeepClass $model failed, see $log"; continue; }
    rss_kb=$(tail -1 "$OUT/rss")
    line=$(sed -n 's/^result: //p' "$log" | tail -1)
    echo "${line%\}}, \"peak_rss_mb\": $((rss_kb / 1024))}" >> "$OUT/results.jsonl"
    if [ $have_peer = 1 ]; then
      /usr/bin/python3 "$PEER" --model "$model" --epochs "$EPOCHS" --batch "$batch" --threads "$THREADS" \
        --data-dir "$FM" 2> "$OUT/peer-$model-$batch.err" | tail -1 >> "$OUT/results.jsonl" \
        || echo "bench: peer $model failed, see $OUT/peer-$model-$batch.err"
    fi
  done
done

/usr/bin/python3 - "$OUT/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
dc = {(r["model"], r["batch"]): r for r in rows if r["peer"] == "deepclass"}
pt = {(r["model"], r["batch"]): r for r in rows if r["peer"] == "pytorch"}
print()
print("| model | batch | DeepClass train img/s | peer train img/s | ratio | DeepClass infer img/s | peer eval img/s | ratio | DeepClass acc | peer acc | DeepClass peak RSS |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
def ratio(a, b): return f"{a / b:.2f}x" if a and b else "-"
for key in dc:
    d, p = dc[key], pt.get(key, {})
    print(f"| {key[0]} | {key[1]} | {d['train_img_per_s']:.0f} | {p.get('train_img_per_s', 0):.0f} | "
          f"{ratio(d['train_img_per_s'], p.get('train_img_per_s'))} | {d['eval_img_per_s']:.0f} | "
          f"{p.get('eval_img_per_s', 0):.0f} | {ratio(d['eval_img_per_s'], p.get('eval_img_per_s'))} | "
          f"{100 * d['test_acc']:.2f} % | {100 * p['test_acc']:.2f} % | {d['peak_rss_mb']} MB |"
          if p else
          f"| {key[0]} | {key[1]} | {d['train_img_per_s']:.0f} | - | - | {d['eval_img_per_s']:.0f} | - | - | "
          f"{100 * d['test_acc']:.2f} % | - | {d['peak_rss_mb']} MB |")
print()
for r in rows: print(json.dumps(r))
PY
