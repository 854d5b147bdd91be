#!/usr/bin/env bash
# Does "next uncertain" help? The active-learning curve of Classify Cells Interactively: a
# simulated user labels digit cells on a 1024 x 1024 image (scikit-learn's 1 797 digits, one
# oval ROI each) through the panel's own code path (ROI patches, the backbone's features once, a
# retrain after every label), picking by the loop's "next uncertain" (smallest margin) or "next
# random", and answers with the true class; accuracy on the 360 held-out cells (the test split
# of bench/few_labels.sh, never offered for labelling) after 10 to MAX labels.
# Cold start: one random cell of each class (10 labels, the same for both ways).
# The backbone is bench/few_labels.sh's (resnet18 pretrained by the PyTorch peer on
# Fashion-MNIST, 32 px, ONNX): the loop's default resnet18 is downloaded from the ONNX Model Zoo,
# which this machine cannot reach.
#   bench/active_learning.sh [seeds, default 5] [max labels, default 100]
# Writes target/active-learning/curve.jsonl and curve.csv (mean and sd per label count, the
# figures of docs/data/active_learning.csv); prints the table. Needs /usr/bin/python3 with
# torch, torchvision, sklearn and PIL (for the backbone and the digits).
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${1:-5}
MAX=${2:-100}
PEER=${PEER:-../shared/bench/pytorch_transfer_peer.py}
PRE=target/transfer-table
OUT=target/active-learning; mkdir -p "$OUT"
export OMP_NUM_THREADS=2
. bench/transfer_inputs.sh
transfer_inputs active_learning.sh
[ -f target/classpath.txt ] && [ -f target/test-classes/io/deepclass/demo/ActiveLearning.class ] ||
  mvn -q -o -DskipTests package dependency:build-classpath -DincludeScope=test \
    -Dmdep.outputFile=target/classpath.txt
CP="target/test-classes:target/classes:$(cat target/classpath.txt)"
java -Xmx3g -XX:TieredStopAtLevel=1 -Djava.awt.headless=true -cp "$CP" io.deepclass.demo.ActiveLearning \
  "$PRE/pre/backbone.onnx" 32 "$PRE/digits" "$SEEDS" "$MAX" 2> "$OUT/log.txt" | grep '^{' \
  > "$OUT/curve.jsonl"
/usr/bin/python3 - "$OUT/curve.jsonl" "$OUT/curve.csv" <<'PY'
import csv, json, statistics as st, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def values(strategy, n, key="accuracy"):
    return [100 * r[key] for r in rows if r["strategy"] == strategy and r["labels"] == n and key in r]
def ms(v):
    return st.mean(v), (st.stdev(v) if len(v) > 1 else 0.0)
seeds = sorted({r["seed"] for r in rows})
counts = sorted({r["labels"] for r in rows})
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["labels", "uncertain_mean", "uncertain_sd", "random_mean", "random_sd", "seeds"])
    for n in counts:
        u, r = ms(values("uncertain", n)), ms(values("random", n))
        w.writerow([n, f"{u[0]:.2f}", f"{u[1]:.2f}", f"{r[0]:.2f}", f"{r[1]:.2f}", len(values("uncertain", n))])
held = rows[0]["held_out"]
print(f"held-out accuracy % on {held} cells, mean ± sd over seeds {','.join(map(str, seeds))}")
print("| labels | uncertain | random | uncertain, cross-validated estimate | random, cross-validated estimate |")
print("|---|---|---|---|---|")
for n in (10, 20, 50, 100):
    if n not in counts: continue
    cells = []
    for key in ("accuracy", "cv_accuracy"):
        for s in ("uncertain", "random"):
            v = values(s, n, key)
            cells.append("%.1f ± %.1f" % ms(v) if v else "-")
    print(f"| {n} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} |")
PY
