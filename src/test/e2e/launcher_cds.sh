#!/usr/bin/env bash
# The deepclass launcher's class data sharing (scripts/cds.sh), on DeepClass installed from its
# jars as a user has it (plugin jar, ij.jar, jars/): each step fails the run on a wrong result.
#  1. DEEPCLASS_CDS=0: no archive; its output is the reference.
#  2. a subcommand's first run writes its archive, prints the same, leaves no lock or part file;
#     the next run loads DeepClass's classes from the archive and prints the same again.
#  3. a run that fails (bad usage, exit 2) keeps its exit code and keeps no archive; none is
#     written for 10 minutes after it.
#  4. a changed jar: the next run writes the archive again; one that does not match (changed
#     behind the stamp's back) is ignored by the JVM without a word on standard output.
#  5. two first runs at once both succeed and leave one archive.
#  6. a first run killed while it starts (SIGTERM to its process group) leaves no lock or part.
#  7. a class path with a folder of classes: no archive.
#   src/test/e2e/launcher_cds.sh [work dir]
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
WORK=$(realpath -m "${1:-target/launcher-cds}")
fail() { echo "launcher-cds: FAILED: $*" >&2; exit 1; }
rm -rf "$WORK"; mkdir -p "$WORK/app/jars"
ls target/DeepClass_-*.jar >/dev/null 2>&1 && [ -d target/jars ] || mvn -q -B -DskipTests package
jar=$(ls target/DeepClass_-*.jar | grep -v -- '-gpu' | head -n 1)
cp "$jar" "$WORK/app/"; cp target/jars/*.jar "$WORK/app/jars/"
mvn -q -B dependency:copy -Dartifact=net.imagej:ij:1.54p -DoutputDirectory="$WORK/app" \
  -Dmdep.stripVersion=true
export DEEPCLASS_CP="$WORK/app/$(basename "$jar"):$WORK/app/ij.jar:$WORK/app/jars/*"
export XDG_CACHE_HOME="$WORK/cache" DEEPCLASS_JVM_OPTS="-Xmx1g" OMP_NUM_THREADS=1
cache="$XDG_CACHE_HOME/deepclass"
dc() { "$root/scripts/deepclass" "$@"; }
archives() { ls "$cache"/cds-"$1"-*.jsa 2>/dev/null | wc -l; }
leftovers() { ls "$cache" 2>/dev/null | grep -E '\.lock$|\.part$' || true; }
printf '%s\n' a.tif b.tif c.tif >"$WORK/list.txt"

echo "launcher-cds 1/7: DEEPCLASS_CDS=0"
DEEPCLASS_CDS=0 dc system-check >"$WORK/plain.out" 2>/dev/null || fail "system-check exited $?"
[ "$(archives system-check)" = 0 ] || fail "an archive with DEEPCLASS_CDS=0"

echo "launcher-cds 2/7: the first run writes the archive, the next one uses it"
dc system-check >"$WORK/first.out" 2>/dev/null || fail "first system-check exited $?"
[ "$(archives system-check)" = 1 ] || fail "no archive after the first run: $(ls "$cache" 2>&1)"
[ -z "$(leftovers)" ] || fail "left behind: $(leftovers)"
DEEPCLASS_JVM_OPTS="-Xmx1g -Xlog:class+load:file=$WORK/classes.log" dc system-check \
  >"$WORK/second.out" 2>/dev/null || fail "second system-check exited $?"
shared=$(grep -c 'io\.deepclass\..*source: shared objects file (top)' "$WORK/classes.log" || true)
echo "launcher-cds: second run loaded $shared DeepClass classes from the archive"
[ "$shared" -gt 20 ] || fail "the second run did not use the archive (see $WORK/classes.log)"
cmp -s "$WORK/plain.out" "$WORK/first.out" || fail "the first run printed other results"
cmp -s "$WORK/plain.out" "$WORK/second.out" || fail "the run with the archive printed other results"

echo "launcher-cds 3/7: a failing first run keeps its exit code and no archive"
code=0; dc evaluate --no-such-option 2>/dev/null || code=$?
[ "$code" = 2 ] || fail "bad usage exited $code, not 2"
[ "$(archives evaluate)" = 0 ] || fail "an archive kept from a failed run"
[ -z "$(leftovers)" ] || fail "left behind: $(leftovers)"

# and for 10 minutes after it no run writes one (each try would take seconds longer)
dc shard --list "$WORK/list.txt" --shards 2 --out "$WORK/s0" >/dev/null 2>&1 || fail "shard exited $?"
code=0; dc shard --list "$WORK/no-such-list.txt" --shards 2 --out "$WORK/s0" 2>/dev/null || code=$?
[ "$code" = 1 ] || fail "shard of a missing list exited $code, not 1"
# (the good run before made shard's archive: a failed run after it changes nothing)
[ "$(archives shard)" = 1 ] || fail "a failed run removed the archive"
rm -f "$cache"/cds-shard-*
code=0; dc shard --list "$WORK/no-such-list.txt" --shards 2 --out "$WORK/s0" 2>/dev/null || code=$?
[ "$code" = 1 ] && [ "$(archives shard)" = 0 ] || fail "failed first run: exit $code, archive kept"
dc shard --list "$WORK/list.txt" --shards 2 --out "$WORK/s0" >/dev/null 2>&1 || fail "shard exited $?"
[ "$(archives shard)" = 0 ] || fail "an archive written within 10 minutes of a failed run"
touch -d '-11 minutes' "$cache"/cds-shard-*.failed
dc shard --list "$WORK/list.txt" --shards 2 --out "$WORK/s0" >/dev/null 2>&1 || fail "shard exited $?"
[ "$(archives shard)" = 1 ] || fail "no archive 11 minutes after a failed run"
rm -f "$cache"/cds-shard-*

echo "launcher-cds 4/7: a changed jar"
before=$(stat -c %Y "$cache"/cds-system-check-*.jsa)
sleep 1; touch "$WORK/app/jars/gson-"*.jar
dc system-check >/dev/null 2>&1 || fail "system-check after a jar changed exited $?"
[ "$(stat -c %Y "$cache"/cds-system-check-*.jsa)" -gt "$before" ] || fail "archive not written again"
# a jar changed behind the stamp's back (the stamp made again after it): the JVM's own check
touch -d 2001-01-01 "$WORK/app/jars/gson-"*.jar
(. "$root/scripts/cds.sh"; cds_jars "$DEEPCLASS_CP"; cds_stamp "$(readlink -f "$(command -v java)")") >"$(ls "$cache"/cds-system-check-*.jsa).stamp"
DEEPCLASS_JVM_OPTS="-Xmx1g -Xlog:class+load:file=$WORK/mismatch.log" dc system-check \
  >"$WORK/mismatch.out" 2>/dev/null || fail "system-check with a mismatched archive exited $?"
! grep -q 'source: shared objects file (top)' "$WORK/mismatch.log" || fail "a mismatched archive used"
cmp -s "$WORK/plain.out" "$WORK/mismatch.out" || fail "a mismatched archive changed standard output"

echo "launcher-cds 5/7: two first runs at once"
dc shard --list "$WORK/list.txt" --shards 2 --out "$WORK/s1" >/dev/null 2>&1 & one=$!
dc shard --list "$WORK/list.txt" --shards 2 --out "$WORK/s2" >/dev/null 2>&1 & two=$!
wait "$one" || fail "the first of two runs exited $?"
wait "$two" || fail "the second of two runs exited $?"
[ "$(archives shard)" = 1 ] || fail "$(archives shard) archives after two runs at once"
[ -z "$(leftovers)" ] || fail "left behind: $(leftovers)"
cmp -s "$WORK/s1/shard-1.txt" "$WORK/s2/shard-1.txt" || fail "the two runs' shards differ"

echo "launcher-cds 6/7: a first run killed while it starts"
setsid "$root/scripts/deepclass" train --folder "$WORK/none" --model "$WORK/m.zip" \
  >/dev/null 2>&1 & pid=$!
for _ in $(seq 50); do [ -e "$(ls "$cache"/cds-train-*.lock 2>/dev/null | head -n 1)" ] && break; sleep 0.1; done
ls "$cache"/cds-train-*.lock >/dev/null 2>&1 || fail "no lock while the first train run works"
kill -TERM -- "-$pid" # at once: the JVM is still starting, long before this run would fail
code=0; wait "$pid" || code=$?
[ "$code" = 143 ] || fail "the killed run exited $code, not 143 (killed by SIGTERM)"
[ "$(archives train)" = 0 ] || fail "an archive kept from a killed run"
[ -z "$(leftovers)" ] || fail "left behind by a killed run: $(leftovers)"

echo "launcher-cds 7/7: a class path with a folder of classes"
mkdir -p "$WORK/classes"
rm -rf "$WORK/plaincache"; XDG_CACHE_HOME="$WORK/plaincache" DEEPCLASS_CP="$WORK/classes:$DEEPCLASS_CP" \
  dc shard --list "$WORK/list.txt" --shards 2 --out "$WORK/s3" >/dev/null 2>&1 || fail "shard exited $?"
touch "$WORK/classes/x.class"
XDG_CACHE_HOME="$WORK/plaincache" DEEPCLASS_CP="$WORK/classes:$DEEPCLASS_CP" \
  dc shard --list "$WORK/list.txt" --shards 2 --out "$WORK/s4" >/dev/null 2>&1 || fail "shard exited $?"
[ -z "$(ls "$WORK/plaincache/deepclass" 2>/dev/null)" ] || fail "an archive for a class path with a folder"
echo "launcher-cds: passed"
