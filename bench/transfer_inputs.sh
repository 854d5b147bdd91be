# Sourced by the transfer benches (transfer_table.sh, few_labels.sh, active_learning.sh): checks
# that the PyTorch peer is there and makes, once, what they share in target/transfer-table: the
# resnet18 the peer pretrains on Fashion-MNIST (32 px; pre/backbone.pt and pre/backbone.onnx) and
# scikit-learn's digits split into class folders (digits/train, digits/test).
# Needs PEER set; prints the pretraining's JSON line when it runs.
#   transfer_inputs <calling script's name>
transfer_inputs() {
  [ -f "$PEER" ] || { echo "$1: no PyTorch peer at $PEER (relative to the checkout); set" \
    "PEER=/path/to/pytorch_transfer_peer.py" >&2; exit 1; }
  mkdir -p target/transfer-table
  [ -f target/transfer-table/pre/backbone.onnx ] || /usr/bin/python3 "$PEER" pretrain --backbone \
    resnet18 --size 32 --epochs 1 --out target/transfer-table/pre 2>/dev/null
  [ -d target/transfer-table/digits/train ] || /usr/bin/python3 bench/transfer_table.py \
    target/transfer-table/digits
}
