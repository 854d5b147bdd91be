#!/usr/bin/env bash
# Streaming batch classification at scale: generates N synthetic 28x28 8-bit PNGs (stripes,
# horizontal or vertical, with noise) in sub-folders of 1000, trains a small model on 400 others,
# then classifies headless through the launcher (io.deepclass.ij.bridge.Headless) under /usr/bin/time -v:
#   stream  all N images: input=folder recursive save_csv (the streaming path)
#   memory  the first SUBSET images (one folder of them): the in-memory path (no save_csv; the
#           table written by save_tables), and the streaming path on the same SUBSET
# Prints images/s (wall clock of the whole JVM, start-up and model loading included; the Log's
# own rate is in the logs) and peak RSS for each, and one JSON line per run in
# target/bench/stream/results.jsonl.
#
#   bench/stream_classify.sh [N=100000] [SUBSET=10000]
#
# JVM options: $DEEPCLASS_JVM_OPTS (default -Xmx1g). The images are kept in target/bench/stream/
# and reused when N matches.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
SUBSET=${2:-10000}
[ "$SUBSET" -le "$N" ] || SUBSET=$N
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (apt-get install time)"; exit 2; }
OUT=$PWD/target/bench/stream; mkdir -p "$OUT"; : > "$OUT/results.jsonl"
mvn -q -o test-compile dependency:build-classpath -DincludeScope=test -Dmdep.outputFile=target/classpath.txt
CP="$PWD/target/test-classes:$PWD/target/classes:$(cat target/classpath.txt)"
JVM=${DEEPCLASS_JVM_OPTS:--Xmx1g}

IMAGES=$OUT/images-$N
if [ ! -f "$IMAGES/.done" ]; then
  rm -rf "$IMAGES" "$OUT/train"
  echo "bench: writing $N + 400 PNGs to $IMAGES"
  python3 - "$IMAGES" "$N" "$OUT/train" <<'PY'
import os, random, struct, sys, zlib
out, n, train = sys.argv[1], int(sys.argv[2]), sys.argv[3]
S = 28
def png(path, rows):
    raw = b"".join(b"\0" + bytes(r) for r in rows)
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", S, S, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
def stripes(rng, vertical):
    return [[max(0, min(255, (200 if ((x if vertical else y) % 6) < 3 else 50) + rng.randint(-30, 30)))
             for x in range(S)] for y in range(S)]
rng = random.Random(1)
for c in ("horizontal", "vertical"):
    os.makedirs(os.path.join(train, c), exist_ok=True)
    for i in range(200): png(os.path.join(train, c, "%s-%03d.png" % (c, i)), stripes(rng, c == "vertical"))
for i in range(n):
    d = os.path.join(out, "d%03d" % (i // 1000))
    if i % 1000 == 0: os.makedirs(d, exist_ok=True)
    png(os.path.join(d, "img%06d.png" % i), stripes(rng, rng.random() < 0.5))
PY
  touch "$IMAGES/.done"
fi
# the subset: the first SUBSET images, in one flat folder for the in-memory path
SUB=$OUT/subset-$SUBSET
if [ ! -f "$SUB/.done" ]; then
  rm -rf "$SUB"; mkdir -p "$SUB"
  find "$IMAGES" -name '*.png' | sort | awk -v n="$SUBSET" 'NR <= n' | xargs -I{} ln -s {} "$SUB/"
  touch "$SUB/.done"
fi

headless() { # name, macro code: runs it under /usr/bin/time -v, prints a line
  local name=$1; shift
  printf '%s\n' "$1" > "$OUT/$name.ijm"
  local start end
  start=$(date +%s.%N)
  # shellcheck disable=SC2086  # JVM options are words
  /usr/bin/time -v -o "$OUT/$name.time" java -Djava.awt.headless=true $JVM -cp "$CP" \
    io.deepclass.ij.bridge.Headless "$OUT/$name.ijm" > "$OUT/$name.log" 2>&1 \
    || { echo "bench: $name failed, see $OUT/$name.log"; exit 1; }
  end=$(date +%s.%N)
  echo "$start $end"
}

MODEL=$OUT/model.zip
if [ ! -f "$MODEL" ]; then
  headless train "setBatchMode(true); run(\"Train Classifier\", \"folder=[$OUT/train] architecture=custom custom_architecture=mlp:32 epochs=3 batch_size=32 optimizer=adam learning_rate=0.003 validation_fraction=0.2 seed=42 model_file=[$MODEL]\");" > /dev/null
fi

report() { # name, images, "start end"
  local name=$1 n=$2 t
  read -r s e <<< "$3"
  t=$(echo "$e - $s" | bc -l)
  local rss_kb; rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/$name.time")
  local rate; rate=$(echo "$n / $t" | bc -l)
  local log_rate; log_rate=$(grep -o '[0-9.]* s, [0-9]* files/s' "$OUT/$name.log" | tail -1 || true)
  printf '%-16s %7d images  %7.1f s  %7.0f images/s  peak RSS %5d MiB   (engine: %s)\n' "$name" "$n" "$t" "$rate" $((rss_kb / 1024)) "${log_rate:-n/a}"
  printf '{"run": "%s", "images": %d, "seconds": %.1f, "images_per_second": %.0f, "peak_rss_mb": %d}\n' "$name" "$n" "$t" "$rate" $((rss_kb / 1024)) >> "$OUT/results.jsonl"
}

echo "bench: $N images streamed, in-memory vs streamed on $SUBSET; JVM $JVM, $(nproc) cores"
rm -f "$OUT"/*.csv; rm -rf "$OUT/tables"
r=$(headless memory-$SUBSET "setBatchMode(true); run(\"Classify Images\", \"model_file=[$MODEL] input=folder folder=[$SUB] save_tables=[$OUT/tables]\");")
report memory-$SUBSET "$SUBSET" "$r"
r=$(headless stream-$SUBSET "setBatchMode(true); run(\"Classify Images\", \"model_file=[$MODEL] input=folder folder=[$SUB] save_csv=[$OUT/stream-$SUBSET.csv]\");")
report stream-$SUBSET "$SUBSET" "$r"
r=$(headless stream-$N "setBatchMode(true); run(\"Classify Images\", \"model_file=[$MODEL] input=folder folder=[$IMAGES] recursive save_csv=[$OUT/stream-$N.csv]\");")
report stream-$N "$N" "$r"
rows=$(($(wc -l < "$OUT/stream-$N.csv") - 1))
[ "$rows" = "$N" ] || echo "bench: the CSV has $rows rows, not $N (see $OUT/stream-$N.log)"
