#!/bin/bash
# The whole cluster workflow: train (optional), shard, classify as a job array, merge.
#   examples/slurm/submit.sh MODEL.zip LIST.txt OUT.csv K [TRAIN_FOLDER [train options...]]
# With TRAIN_FOLDER, the model is trained first (train.sbatch, with the deepclass train options
# given after it) and the array waits for it.
# Prints the job ids (train, array, merge). Logs: OUT.csv.shards/*.log.
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,6p' "$0"; exit 2; }
model=$1 list=$2 out=$3 k=$4 train=${5:-}
shift $(( $# < 5 ? $# : 5 ))
here="$(cd "$(dirname "$0")" && pwd)"
shards="$out.shards"
mkdir -p "$shards"
"${DEEPCLASS:-deepclass}" shard --list "$list" --shards "$k" --out "$shards" >/dev/null
after=()
if [ -n "$train" ]; then
  trained=$(sbatch --parsable --output="$shards/train-%j.log" "$here/train.sbatch" "$train" "$model" "$@")
  echo "train $trained"
  after=(--dependency="afterok:$trained")
fi
array=$(sbatch --parsable "${after[@]}" --array="0-$((k - 1))" --output="$shards/classify-%A_%a.log" \
  "$here/classify.sbatch" "$model" "$shards")
echo "array $array"
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$shards/merge-%j.log" \
  "$here/merge.sbatch" "$list" "$out" "$shards")
echo "merge $merge"
