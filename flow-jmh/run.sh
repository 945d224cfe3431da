#!/usr/bin/env bash
# Runs the execflow benchmarks and writes Markdown tables for BENCHMARKS.md.
#
#   flow-jmh/run.sh quick   # < 5 min on 2 cores: smaller sizes, short iterations, for checking a change
#   flow-jmh/run.sh full    # every size (10k/1M/10M), the numbers of BENCHMARKS.md (~30 min)
#   flow-jmh/run.sh quick -foe true      # extra arguments go to every JMH invocation
#
# Build first, from the repository root: mvn -B package -DskipTests (or mvn -B package).
# Results: flow-jmh/target/bench-<preset>/ (JMH JSON + logs, machine.txt, report.md, flat-memory.md).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
java_bin=${JAVA:-java}
preset=${1:-quick}
[ $# -gt 0 ] && shift
extra=("$@")

if [ ! -f "$jar" ]; then
  echo "no $jar: build it first with 'mvn -B package -DskipTests' from the repository root" >&2
  exit 1
fi
if [ "${CI:-}" = "true" ]; then
  extra=(-foe true "${extra[@]}")   # a failing benchmark fails the run
fi

out="$here/target/bench-$preset"
rm -rf "$out"
mkdir -p "$out"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$here/.." diff --quiet -- flow-core 2>/dev/null || echo ' (flow-core has uncommitted changes)')"
  echo "nproc: $(nproc)"
  echo "model: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
  free -h
  "$java_bin" -version 2>&1
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"
cat "$out/machine.txt"
load=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load" 'BEGIN { exit !(l > 0.7) }'; then
  echo "WARNING: load average $load before starting: other work is running, the numbers will be noisy" | tee -a "$out/machine.txt"
fi

jmh() {
  local name=$1
  shift
  echo "=== $name: $*"
  "$java_bin" -jar "$jar" "$@" -prof gc -rf json -rff "$out/$name.json" "${extra[@]}" 2>&1 | tee "$out/$name.log"
}

flat_sizes=()
case "$preset" in
  quick)
    t=(-f 1 -wi 1 -i 3 -w 1s -r 1s)
    # fold and the naive baseline in one JMH run, so that their ratio is measured side by side
    jmh fold '\.FoldBenchmark\.|NaiveBaselineBenchmark' -p rows=10000,1000000 "${t[@]}"
    jmh jsonl JsonlBenchmark -p rows=1000000 "${t[@]}"
    jmh snapshot SnapshotBenchmark "${t[@]}"
    jmh merge MergeBenchmark -p rows=1000000 -p parts=1,2 "${t[@]}"
    jmh streamed StreamedFoldBenchmark -p rows=1000000 "${t[@]}"
    jmh clickhouse ClickHouseBenchmark -p rows=100000 "${t[@]}"
    jmh jdbc JdbcBenchmark -p rows=100000 "${t[@]}"
    flat_sizes=(10000 1000000)
    ;;
  full)
    # every benchmark at its annotated sizes, warm-up and measurement (fold and naive in one run)
    jmh all '.*'
    flat_sizes=(10000 1000000 10000000)
    ;;
  *)
    echo "unknown preset '$preset': quick or full" >&2
    exit 2
    ;;
esac

echo "=== flat memory: ${flat_sizes[*]} rows, streamed from the generator, in -Xmx64m"
"$java_bin" -Xms64m -Xmx64m -cp "$jar" dev.execflow.jmh.FlatMemory "${flat_sizes[@]}" | tee "$out/flat-memory.md"

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
"$java_bin" -cp "$jar" dev.execflow.jmh.Report "$out"/*.json > "$out/report.md"
cat "$out/report.md"
echo
echo "results in $out"
