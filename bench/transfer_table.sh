#!/usr/bin/env bash
# What transfer learning buys, measured without ImageNet: a resnet18 pretrained by the PyTorch
# peer on Fashion-MNIST (32x32, 1 epoch), then a small target task from other data
# (scikit-learn's digits) with 10, 50 and all labels per class: from scratch, features, fine-tune,
# in DeepClass and in the peer (the tutorials' recipe), same folders, same backbone.
#   bench/transfer_table.sh [epochs, default 10]
# Needs /usr/bin/python3 with python3-torch, python3-torchvision, python3-sklearn, python3-pil.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${1:-10}
PEER=${PEER:-../shared/bench/pytorch_transfer_peer.py}
OUT=target/transfer-table; mkdir -p "$OUT"; : > "$OUT/results.jsonl"
export OMP_NUM_THREADS=2
. bench/transfer_inputs.sh
transfer_inputs transfer_table.sh | tee -a "$OUT/results.jsonl"
mvn -q -DskipTests package dependency:build-classpath -DincludeScope=test \
  -Dmdep.outputFile=target/classpath.txt
for n in 10 50 0; do
  for s in scratch features finetune; do
    /usr/bin/python3 "$PEER" transfer --backbone resnet18 --size 32 --weights "$OUT/pre/backbone.pt" \
      --train "$OUT/digits/train" --test "$OUT/digits/test" --per-class "$n" --strategy "$s" \
      --epochs "$EPOCHS" 2>/dev/null | tee -a "$OUT/results.jsonl"
    java -Xmx4g -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
      -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" io.deepclass.demo.TransferTable \
      "$OUT/pre/backbone.onnx" "$OUT/digits/train" "$OUT/digits/test" "$n" "$s" "$EPOCHS" 2>&1 \
      | grep '^{' | tee -a "$OUT/results.jsonl"
  done
done
/usr/bin/python3 - "$OUT/results.jsonl" <<'PY'
import json, sys
import re
rows = [json.loads(m.group(0)) for l in open(sys.argv[1]) for m in [re.search(r"\{.*\}", l)]
        if m and '"transfer"' in l]
print("| labels per class | strategy | DeepClass test accuracy | PyTorch test accuracy |")
print("|---|---|---|---|")
for n in (10, 50, 0):
    for s in ("scratch", "features", "finetune"):
        d = next((r for r in rows if r["peer"] == "deepclass" and r["per_class"] == n and r["strategy"] == s), None)
        p = next((r for r in rows if r["peer"] == "pytorch" and r["per_class"] == n and r["strategy"] == s), None)
        acc = lambda r: f"{100 * (r.get('test_acc') or 0):.1f} %" if r else "-"
        print(f"| {n or 'all'} | {s} | {acc(d)} | {acc(p)} |")
PY
