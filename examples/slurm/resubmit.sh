#!/bin/bash
# Resubmits killed or failed tasks of a classify array and points the merge job at them:
#   examples/slurm/resubmit.sh ARRAY_JOB MERGE_JOB TASKS MODEL.zip SHARD_DIR     (TASKS: 0 or 0,3)
# The tasks run again as a new array job of the same task ids, so each takes its own shard and
# --resume keeps the rows it wrote before it was stopped. SLURM remembers that the first array
# had a task that did not end well (afterok on it can never be met again), so the merge is made
# to wait for the other tasks of the first array and for the new job instead. Prints the new job id.
set -euo pipefail
[ $# = 5 ] || { sed -n '2,7p' "$0"; exit 2; }
array=$1 merge=$2 tasks=$3 model=$4 shards=$5
here="$(cd "$(dirname "$0")" && pwd)"
again=$(sbatch --parsable --array="$tasks" --output="$shards/classify-%A_%a.log" \
  "$here/classify.sbatch" "$model" "$shards")
deps="afterok"
k=$(find "$shards" -maxdepth 1 -name 'shard-*.txt' | wc -l)
for ((t = 0; t < k; t++)); do
  [[ ",$tasks," == *",$t,"* ]] || deps+=":${array}_$t"
done
scontrol update JobId="$merge" Dependency="$deps:$again"
echo "$again"
