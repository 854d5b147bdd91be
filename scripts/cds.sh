# Class data sharing for DeepClass's Java processes; sourced by scripts/deepclass and the benches.
#
#   cds_java NAME CLASS_PATH [java options] MAIN_CLASS [arguments]
#
# Runs (exec) java with a class-data archive for NAME, this class path and this Java: the first
# run writes it as it exits (kept only when that run exits 0; it then takes a few seconds
# longer; after a run that failed, none tries for 10 minutes), later runs map it, so the thousands of classes DeepClass, ND4J, DL4J, SciJava and
# ImageJ load come parsed and verified from it instead of from the jars (deepclass train with a
# pretrained backbone, features strategy, 500 images: 5.6 -> 4.5 s). Plain java when
# DEEPCLASS_CDS=0, when the class path holds a folder (the JVM archives classes from jars only),
# when the cache folder cannot be written, or while another run is writing the archive.
# Archives (40 MB each) are in ${XDG_CACHE_HOME:-~/.cache}/deepclass, one per NAME and class path;
# one whose jars or Java changed (size or time) is written again.

# cds_jars CLASS_PATH: sets CDS_JARS to the jars of the class path, wildcards expanded; fails
# when an entry is not a jar (a folder of classes). No subshell: this runs before every start,
# where each process costs milliseconds.
cds_jars() {
  local entry jar
  CDS_JARS=()
  local IFS=:
  for entry in $1; do
    case "$entry" in
      */\*) for jar in "${entry%\*}"*.jar "${entry%\*}"*.JAR; do [ -f "$jar" ] && CDS_JARS+=("$jar"); done ;;
      *.jar|*.JAR) [ -f "$entry" ] && CDS_JARS+=("$entry") || return 1 ;;
      *) return 1 ;;
    esac
  done
  [ "${#CDS_JARS[@]}" -gt 0 ]
}

# cds_stamp JAVA: what an archive is made from, the Java binary (its real path), its runtime
# image and every jar of CDS_JARS, by size and time, as one line
cds_stamp() {
  { stat -L -c '%n %s %Y' "$1" "${1%/bin/java}/lib/modules" "${CDS_JARS[@]}" 2>/dev/null || true; } \
    | cksum
}

cds_java() {
  local name=$1 cp=$2
  shift 2
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/deepclass" java_bin stamp old key archive lock
  java_bin=$(readlink -f "$(command -v java)") || java_bin=java
  if [ "${DEEPCLASS_CDS:-1}" = 0 ] || ! cds_jars "$cp" || ! { [ -d "$dir" ] || mkdir -p "$dir" \
    2>/dev/null; } || [ ! -w "$dir" ]; then
    exec java -cp "$cp" "$@"
  fi
  stamp=$(cds_stamp "$java_bin")
  key=$(printf '%s\n%s\n' "$java_bin" "$cp" | cksum)
  key=${key%% *}
  archive="$dir/cds-$name-$key.jsa"
  lock="$dir/cds-$name-$key.lock"
  old=
  [ -f "$archive.stamp" ] && read -r old <"$archive.stamp"
  if [ -f "$archive" ] && [ "$old" = "$stamp" ]; then
    # the JVM checks the archive again itself and runs without it when it does not match;
    # -Xlog:cds*=off keeps its notes off standard output, which holds results
    exec java -XX:SharedArchiveFile="$archive" '-Xlog:cds*=off' -cp "$cp" "$@"
  fi
  # a lock or a partial archive left by a run that was killed while writing it
  find "$dir" -maxdepth 1 \( -name "cds-$name-$key.lock" -o -name "cds-$name-$key.jsa.*.part" \) \
    -mmin +30 -delete 2>/dev/null || true
  # writing the archive makes a run seconds longer: after a run that failed, not again for 10
  # minutes (a user correcting a command line would pay it on every try)
  if [ -n "$(find "$archive.failed" -mmin -10 2>/dev/null)" ] \
    || ! (set -o noclobber; echo $$ >"$lock") 2>/dev/null; then
    exec java -cp "$cp" "$@" # or another run is writing it
  fi
  local part="$archive.$$.part" code=0
  trap 'rm -f "$part" "$lock"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  java -XX:ArchiveClassesAtExit="$part" '-Xlog:cds*=off' -cp "$cp" "$@" || code=$?
  if [ "$code" = 0 ] && [ -s "$part" ]; then
    mv -f "$part" "$archive" && echo "$stamp" >"$archive.stamp" && rm -f "$archive.failed"
  else
    : >"$archive.failed"
  fi
  exit "$code"
}
