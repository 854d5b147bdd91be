#!/usr/bin/env bash
# SLURM for real: a one-node SLURM on localhost runs README's cluster workflow with the scripts of
# examples/slurm/ unchanged, and the results are judged.
#   src/test/e2e/slurm_e2e.sh [IMAGES] [K]     (default 8000 Fashion-MNIST test images, K = 4: 2000 a task, so that task 0 is still working when scancel reaches it, also on an idle machine)
# 1. installs slurm-wlm and munge when missing (apt-get; root or sudo), starts munged, slurmctld
#    and slurmd with a slurm.conf written to a temporary folder (their own ports and munge socket,
#    so a SLURM already running is left alone) and waits until the node is idle;
# 2. examples/slurm/submit.sh: train.sbatch trains on 1000 images on the CPU (deepclass train),
#    then the list is cut into K shards, classified by `sbatch --array=0-(K-1) classify.sbatch`
#    after the training (afterok), and merged by merge.sbatch after the array (afterok);
# 3. task 0 is killed by scancel once it has written its first rows and resubmitted by
#    examples/slurm/resubmit.sh: it resumes (its log says how many files it kept), then the merge runs;
# 4. the merged CSV must equal, byte for byte, one `deepclass classify` of the whole list;
# 5. an array with a failing task (its shard list deleted) must leave its merge pending with
#    DependencyNeverSatisfied, the merged CSV never written;
# then stops the daemons it started (by their pid files) and removes its folder unless it failed
# (KEEP=1 keeps it). Needs the Fashion-MNIST files (dataset-fashion-mnist).
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
start=$(date +%s)
n=${1:-8000} k=${2:-4}
fm=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
say() { echo "slurm e2e: $*"; }
fail() { echo "slurm e2e: FAILED: $*" >&2; exit 1; }
[ -d "$fm" ] || fail "$fm missing (apt-get install dataset-fashion-mnist)"

# 1. SLURM and munge
need=()
for c in slurmctld slurmd sbatch munged; do command -v "$c" >/dev/null || need+=("$c"); done
if [ ${#need[@]} -gt 0 ]; then
  say "installing slurm-wlm and munge (missing: ${need[*]})"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
      slurm-wlm munge; } >/tmp/deepclass-slurm-apt.log 2>&1 \
    || { tail -n 20 /tmp/deepclass-slurm-apt.log >&2; fail "could not install slurm-wlm and munge"; }
fi
[ "$(id -u)" = 0 ] || fail "slurmd must run as root to start jobs (run this as root, e.g. in CI)"

work=$(mktemp -d /tmp/deepclass-slurm.XXXXXX)
chmod 755 "$work" # munged wants its socket's folders to be reachable by everyone
mkdir -m 700 "$work/munge" && mkdir -m 755 "$work/run" "$work/state" "$work/spool" "$work/jobs"
stop() {
  local code=$?
  if [ -f "$work/run/slurmctld.pid" ]; then
    scancel --user="$(id -un)" 2>/dev/null || true
  fi
  for d in slurmd slurmctld munged; do
    if [ -f "$work/run/$d.pid" ]; then kill "$(cat "$work/run/$d.pid")" 2>/dev/null || true; fi
  done
  if [ $code = 0 ] && [ -z "${KEEP:-}" ]; then rm -rf "$work"; else say "logs and files kept in $work"; fi
}
trap stop EXIT

mungekey -c -k "$work/munge/munge.key" >/dev/null
/usr/sbin/munged --socket="$work/run/munge.socket" --key-file="$work/munge/munge.key" \
  --log-file="$work/munge/munged.log" --pid-file="$work/run/munged.pid" \
  --seed-file="$work/munge/munged.seed" || fail "munged did not start ($work/munge/munged.log)"
host=$(hostname -s)
# the node as slurmd sees it: cores and memory
read -r cpus mem < <(slurmd -C | awk '/^NodeName/ { for (i = 1; i <= NF; i++) { split($i, kv, "=");
  v[kv[1]] = kv[2] } print v["CPUs"], v["RealMemory"] }')
port=$(( 20000 + $$ % 20000 ))
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=deepclassci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/run/munge.socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$((mem * 3 / 4)) State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld || fail "slurmctld did not start ($work/slurmctld.log)"
slurmd || fail "slurmd did not start ($work/slurmd.log)"
for _ in $(seq 60); do
  [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && break
  sleep 0.5
done
[ "$(sinfo -h -o %t)" = idle ] || fail "the node is not idle: $(sinfo -h -o '%t %E')"
say "SLURM $(sinfo -V | cut -d' ' -f2) up in $(( $(date +%s) - start )) s: node $host, $cpus CPUs, partition ci"

# the command line, built once; jobs get it through the environment sbatch passes on
if [ ! -d target/classes/io/deepclass/cli ] || [ ! -f target/classpath.txt ]; then
  mvn -q -o -B compile dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile=target/classpath.txt
fi
export DEEPCLASS_CP="$root/target/classes:$(cat target/classpath.txt)"
export DEEPCLASS="$root/scripts/deepclass" DEEPCLASS_JVM_OPTS="-Xmx1g"
state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -n 1 | cut -d= -f2; }
reason() { scontrol show job "$1" | grep -o 'Reason=[A-Za-z_]*' | head -n 1 | cut -d= -f2; }
# waits until job $1 (a job or one array task) is in one of the states $2 (a regex)
wait_for() {
  local until=$((SECONDS + 240))
  while [ $SECONDS -lt $until ]; do
    [[ "$(state "$1")" =~ ^($2)$ ]] && return 0
    sleep 0.2
  done
  fail "job $1 is $(state "$1") ($(reason "$1")), not $2, after 240 s"
}

# 2. the workflow, as README shows it
/usr/bin/python3 examples/slurm/fashion_pngs.py "$fm" "$work/jobs/data" 1000 "$n"
cd "$work/jobs"
say "submit.sh m.zip data/todo.txt out.csv $k data/train (train, shard $n images, array, merge)"
read -r _ train < <("$root/examples/slurm/submit.sh" m.zip data/todo.txt out.csv "$k" data/train \
  --architecture mlp100 --epochs 2 --optimizer adam --learning-rate 0.001 | tee ids.txt | grep '^train')
array=$(awk '$1 == "array" { print $2 }' ids.txt)
merge=$(awk '$1 == "merge" { print $2 }' ids.txt)
say "jobs: train $train, array $array (tasks 0-$((k - 1))), merge $merge (afterok:$array)"
say "merge $merge: $(state "$merge") ($(reason "$merge"))"
wait_for "$train" COMPLETED
say "train $train: COMPLETED, $(grep -c 'epoch' out.csv.shards/train-"$train".log) epoch lines;" \
  "$(grep 'model saved' out.csv.shards/train-"$train".log)"

# 3. task 0 killed once it has written a batch of rows, then resubmitted: it resumes
csv0=out.csv.shards/shard-0.csv
for _ in $(seq 1200); do
  [ -f "$csv0" ] && [ "$(wc -l < "$csv0")" -gt 1 ] && break
  sleep 0.05
done
scancel "${array}_0"
wait_for "${array}_0" CANCELLED
rows=$(($(wc -l < "$csv0") - 1))
per=$(wc -l < out.csv.shards/shard-0.txt)
[ "$rows" -lt "$per" ] || fail "task ${array}_0 finished its $per files before scancel stopped it"
say "task ${array}_0: scancel after $rows of $per rows -> $(state "${array}_0")"
again=$("$root/examples/slurm/resubmit.sh" "$array" "$merge" 0 m.zip out.csv.shards)
say "resubmit.sh: task 0 again as job ${again}_0; merge $merge now waits for" \
  "$(scontrol show job "$merge" | grep -o 'Dependency=[^ ]*' | cut -d= -f2)"
wait_for "$merge" "COMPLETED|FAILED|CANCELLED"
for t in $(seq 1 $((k - 1))); do
  say "task ${array}_$t: $(state "${array}_$t"), $(grep -h 'classified' out.csv.shards/classify-"${array}"_"$t".log | tail -n 1 | sed 's/.*DeepClass: //')"
done
log0=out.csv.shards/classify-"${again}"_0.log
resumed=$(grep -h 'resumed' "$log0" || true)
[ -n "$resumed" ] || fail "task 0 did not resume: $(cat "$log0")"
say "task ${again}_0: $(state "${again}_0"), ${resumed#*DeepClass: }; $(grep -h 'classified' "$log0" | sed 's/.*DeepClass: //')"
[ "$(state "$merge")" = COMPLETED ] || fail "merge $merge: $(state "$merge"): $(cat out.csv.shards/merge-"$merge".log)"
say "merge $merge: COMPLETED: $(grep -h 'merged' out.csv.shards/merge-"$merge".log)"

# 4. the merged CSV against one process
"$DEEPCLASS" classify --model m.zip --list data/todo.txt --csv single.csv 2>single.log
[ "$(wc -l < out.csv)" = $((n + 1)) ] || fail "out.csv has $(wc -l < out.csv) lines, not $((n + 1))"
cmp out.csv single.csv || fail "the merged CSV differs from one process's: diff $work/jobs/out.csv $work/jobs/single.csv"
say "out.csv = single.csv: $n rows, identical byte for byte ($(md5sum < out.csv | cut -c1-12))"

# 5. a failing task: the merge must not run
mkdir -p bad && head -n 40 data/todo.txt | sed "s|^|$PWD/data/|" > bad/todo.txt
"$DEEPCLASS" shard --list bad/todo.txt --shards 2 --out bad/shards >/dev/null
rm bad/shards/shard-1.txt
bad_array=$(sbatch --parsable --array=0-1 --output=bad/shards/classify-%A_%a.log \
  "$root/examples/slurm/classify.sbatch" m.zip bad/shards)
bad_merge=$(sbatch --parsable --dependency="afterok:$bad_array" --output=bad/merge-%j.log \
  "$root/examples/slurm/merge.sbatch" bad/todo.txt bad/out.csv bad/shards)
wait_for "${bad_array}_1" FAILED
wait_for "${bad_array}_0" COMPLETED
for _ in $(seq 50); do [ "$(reason "$bad_merge")" = DependencyNeverSatisfied ] && break; sleep 0.2; done
say "failing array $bad_array: task 0 $(state "${bad_array}_0"), task 1 $(state "${bad_array}_1")" \
  "($(scontrol show job "${bad_array}_1" | grep -o 'ExitCode=[0-9:]*')): $(tail -n 1 bad/shards/classify-"${bad_array}"_1.log)"
[ "$(state "$bad_merge")" = PENDING ] && [ "$(reason "$bad_merge")" = DependencyNeverSatisfied ] \
  || fail "merge $bad_merge after a failed task: $(state "$bad_merge") ($(reason "$bad_merge"))"
[ ! -e bad/out.csv ] || fail "the merge wrote bad/out.csv although a task failed"
say "merge $bad_merge: PENDING (DependencyNeverSatisfied), did not run, no bad/out.csv; cancelled"
scancel "$bad_merge"
say "passed in $(( $(date +%s) - start )) s"
