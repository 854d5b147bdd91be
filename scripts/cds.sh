# Class data sharing for DeepClass's Java processes; sourced by scripts/deepclass and the benches.
#
#   cds_java NAME CLASS_PATH [java options] MAIN_CLASS [arguments]
#
# Runs (exec) java with a class-data archive for NAME, this class path and this Java: the first
# run writes it as it exits (kept only when that run exits 0; it then takes a few seconds
# longer), later runs map it, so the thousands of classes DeepClass, ND4J, DL4J, SciJava and
# ImageJ load come parsed and verified from it instead of from the jars (deepclass train with a
# pretrained backbone, features strategy, 500 images: 5.6 -> 4.5 s). Plain java when
# DEEPCLASS_CDS=0, when the class path holds a folder (the JVM archives classes from jars only),
# when the cache folder cannot be written, or while another run is writing the archive.
# Archives (40 MB each) are in ${XDG_CACHE_HOME:-~/.cache}/deepclass, one per NAME and class path;
# one whose jars or Java changed (size or time) is written again.

# cds_jars CLASS_PATH: the jars of the class path, one per line, wildcards expanded; fails when
# an entry is not a jar (a folder of classes)
cds_jars() {
  local entry jar
  local IFS=:
  for entry in $1; do
    case "$entry" in
      */\*) for jar in "${entry%\*}"*.jar "${entry%\*}"*.JAR; do [ -f "$jar" ] && echo "$jar"; done ;;
      *.jar|*.JAR) [ -f "$entry" ] && echo "$entry" || return 1 ;;
      *) return 1 ;;
    esac
  done
}

# cds_stamp CLASS_PATH: what an archive for it is made from, this Java (its runtime image too)
# and every jar, by size and time, as one line; fails when the class path holds a folder
cds_stamp() {
  local jars java_bin
  jars=$(cds_jars "$1") && [ -n "$jars" ] || return 1
  java_bin=$(readlink -f "$(command -v java)")
  { { echo "$java_bin"; echo "$jars"; } | sort | xargs -d '\n' stat -L -c '%n %s %Y' 2>/dev/null
    stat -L -c '%s %Y' "${java_bin%/bin/java}/lib/modules" 2>/dev/null; true; } | cksum | tr ' ' -
}

cds_java() {
  local name=$1 cp=$2
  shift 2
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/deepclass" stamp key archive lock
  if [ "${DEEPCLASS_CDS:-1}" = 0 ] || ! stamp=$(cds_stamp "$cp") || ! mkdir -p "$dir" 2>/dev/null \
    || [ ! -w "$dir" ]; then
    exec java -cp "$cp" "$@"
  fi
  key=$(printf '%s\n%s\n' "$(readlink -f "$(command -v java)")" "$cp" | cksum | cut -d ' ' -f 1)
  archive="$dir/cds-$name-$key.jsa"
  lock="$dir/cds-$name-$key.lock"
  if [ -f "$archive" ] && [ "$(cat "$archive.stamp" 2>/dev/null)" = "$stamp" ]; then
    # the JVM checks the archive again itself and runs without it when it does not match;
    # -Xlog:cds*=off keeps its notes off standard output, which holds results
    exec java -XX:SharedArchiveFile="$archive" '-Xlog:cds*=off' -cp "$cp" "$@"
  fi
  # a lock or a partial archive left by a run that was killed while writing it
  find "$dir" -maxdepth 1 \( -name "cds-$name-$key.lock" -o -name "cds-$name-$key.jsa.*.part" \) \
    -mmin +30 -delete 2>/dev/null || true
  if ! (set -o noclobber; echo $$ >"$lock") 2>/dev/null; then
    exec java -cp "$cp" "$@" # another run is writing it
  fi
  local part="$archive.$$.part" code=0
  trap 'rm -f "$part" "$lock"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  java -XX:ArchiveClassesAtExit="$part" '-Xlog:cds*=off' -cp "$cp" "$@" || code=$?
  if [ "$code" = 0 ] && [ -s "$part" ]; then
    mv -f "$part" "$archive" && echo "$stamp" >"$archive.stamp"
  fi
  exit "$code"
}
