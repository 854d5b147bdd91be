#!/usr/bin/env bash
# Transfer-learning speed, DeepClass and the PyTorch peer side by side on this machine: images/s
# of the frozen backbone's feature pass and of fine-tuning the whole network, for resnet18 and
# mobilenet_v2 at 224 and 128 pixels, batch 32, 2 threads each, and DeepClass's peak memory.
#   bench/transfer_speed.sh [seconds per measurement, default 10]
# Needs /usr/bin/python3 with python3-torch, python3-torchvision, python3-onnx.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}
PEER=${PEER:-../shared/bench/pytorch_transfer_peer.py}
OUT=target/transfer-speed; mkdir -p "$OUT"; : > "$OUT/results.jsonl"
/usr/bin/python3 bench/onnx_exactness.py "$OUT" 224 resnet18 mobilenet_v2 2>&1 | grep -v -i warn
mvn -q -DskipTests package dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/classpath.txt
export OMP_NUM_THREADS=2
for m in resnet18 mobilenet_v2; do
  for size in 224 128; do
    /usr/bin/python3 "$PEER" speed --backbone "$m" --size "$size" --batch 32 --threads 2 \
      --seconds "$SECONDS_EACH" 2>/dev/null | tee -a "$OUT/results.jsonl"
    /usr/bin/time -f "peak_rss_kb %M" -o "$OUT/time.txt" java -Xmx4g -XX:TieredStopAtLevel=1 \
      -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" io.deepclass.demo.TransferSpeed \
      "$OUT/$m.onnx" "$size" 32 "$SECONDS_EACH" > "$OUT/deepclass.txt" 2>&1 || cat "$OUT/deepclass.txt"
    rss=$(awk '/peak_rss_kb/ {print $2}' "$OUT/time.txt")
    grep '^{' "$OUT/deepclass.txt" | sed "s/}\$/, \"peak_rss_mb\": $((rss / 1024))}/" \
      | tee -a "$OUT/results.jsonl"
  done
done
/usr/bin/python3 - "$OUT/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
print("| backbone | size | DeepClass features img/s | peer features img/s | ratio | DeepClass fine-tune img/s | peer fine-tune img/s | ratio |")
print("|---|---|---|---|---|---|---|---|")
for b in ("resnet18", "mobilenet_v2"):
    for s in (224, 128):
        d = next((r for r in rows if r["peer"] == "deepclass" and r["backbone"] == b and r["size"] == s), None)
        p = next((r for r in rows if r["peer"] == "pytorch" and r["backbone"] == b and r["size"] == s), None)
        if d and p:
            print(f"| {b} | {s} | {d['features_img_per_s']:.1f} | {p['features_img_per_s']:.1f} | {d['features_img_per_s'] / p['features_img_per_s']:.2f}x "
                  f"| {d['finetune_img_per_s']:.1f} | {p['finetune_img_per_s']:.1f} | {d['finetune_img_per_s'] / p['finetune_img_per_s']:.2f}x |")
PY
