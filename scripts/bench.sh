#!/usr/bin/env bash
# Runs JMH benchmarks in a short mode and keeps the JSON results under sdk-benchmarks/target/.
#
#   scripts/bench.sh CommandDispatchBenchmark            # short run, with the GC profiler
#   scripts/bench.sh CommandDispatchBenchmark -f 2 -i 5  # extra JMH flags override the short mode
#
# The uber jar is an ordinary JMH jar: java -jar sdk-benchmarks/target/benchmarks.jar -h lists the
# flags, and any figure in the README can be reproduced with it directly.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
  echo "usage: scripts/bench.sh BENCHMARK_REGEX [JMH_FLAGS...]" >&2
  exit 2
fi
pattern=$1
shift

./mvnw -B -q -pl sdk-benchmarks -am package -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true

name=$(printf '%s' "$pattern" | tr -c 'A-Za-z0-9_.-' '_')
result="sdk-benchmarks/target/jmh-${name}.json"
java -jar sdk-benchmarks/target/benchmarks.jar "$pattern" \
  -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc \
  -rf json -rff "$result" "$@"
echo "JMH results: $result"
