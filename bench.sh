#!/usr/bin/env bash
# Benchmarks against the local run (start ./run.sh first). Prints figures; asserts nothing.
#   ./bench.sh intake  [--seconds 20] [--concurrency 16]   staff and Open311 intake, against the store's ceiling
#   ./bench.sh routing [--events 5000]                     request-created -> request-routed through the broker
#   ./bench.sh fold    [--events 1000000]                  metrics-service's fold alone: events/s and memory
#   ./bench.sh console [--seconds 30] [--concurrency 20] [--think 0] [--seed 0]
#                                                           console pages for signed-in people: p50/p95/p99, bytes
#   ./bench.sh reads   [--seconds 20] [--concurrency 4] [--department housing]
#                                                           the hot reads (queue page, search pages, my filings):
#                                                           p50/p95/p99, bytes, store documents read per read
#   ./bench.sh storm   [--rate 50] [--requests 41000] [--warmup 60] [--seed 1] [--ceilings true]
#                                                           a storm day end to end: throughput, latency, store commands
#                                                           per request, CPU and memory, same-run ceilings; writes
#                                                           bench-results/storm-<time>.md and .png
#   ./bench.sh rebuild [--requests 3000000] [--partitions 3] [--heap 4g] [--store-heap 1g] [--seed 1] [--jfr <dir>]
#                                                           a city's year (default 3M requests, about 20M events)
#                                                           folded by metrics-service's rebuild (METRICS_REBUILD) on
#                                                           a broker and store of its own: produce time, rebuild
#                                                           time, events/s, peak RSS, store commands; checks each
#                                                           request counted once; removes all it made (--requests
#                                                           100000 for a quick run; --jfr <dir>: Flight Recorder
#                                                           profiles of the store and metrics-service there)
# intake, routing and storm leave their requests in the local run's data; fold and rebuild need no local run
# (rebuild starts its own Kafka broker and Mongo-wire store on free ports, never the local run's).
set -euo pipefail
cd "$(dirname "$0")"
if [[ "${1:-}" == "fold" ]]; then
  shift
  [[ -f metrics-service/target/metrics-service.jar ]] || ./mvnw -B -q -DskipTests package
  # Any main class of a Spring Boot jar runs through its PropertiesLauncher.
  exec java -Xmx3g -Dloader.main=org.city311.metrics.servicelevel.FoldBench \
    -cp metrics-service/target/metrics-service.jar org.springframework.boot.loader.launch.PropertiesLauncher "$@"
fi
[[ -f deploy/target/deploy.jar ]] || ./mvnw -B -q -DskipTests package
if [[ "${1:-}" == "rebuild" ]]; then
  shift
  [[ -f metrics-service/target/metrics-service.jar ]] || ./mvnw -B -q -DskipTests package
  exec java -Xmx1500m -cp "deploy/target/deploy.jar:deploy/target/lib/*" org.city311.deploy.bench.RebuildBench "$@"
fi
curl -sf http://127.0.0.1:8081/actuator/health >/dev/null || { echo "The local run is not up: start ./run.sh first." >&2; exit 1; }
if [[ "${1:-}" == "storm" ]]; then
  shift
  curl -sf http://127.0.0.1:9216/metrics >/dev/null \
    || echo "The local store's counters do not answer (MONGODB_URI set?): store commands will be missing." >&2
  exec java -Xmx512m -cp "deploy/target/deploy.jar:deploy/target/lib/*" org.city311.deploy.bench.StormBench "$@"
fi
if [[ "${1:-}" == "reads" ]]; then
  shift
  exec java -cp "deploy/target/deploy.jar:deploy/target/lib/*" org.city311.deploy.bench.ReadsBench "$@"
fi
if [[ "${1:-}" == "console" ]]; then
  shift
  curl -sf http://127.0.0.1:8085/actuator/health >/dev/null || { echo "The console is not up: start ./run.sh first." >&2; exit 1; }
  exec java -cp "deploy/target/deploy.jar:deploy/target/lib/*" org.city311.deploy.bench.ConsoleBench "$@"
fi
extra=()
if [[ "${1:-}" == "intake" && -f var/dev-tokens.env ]]; then
  key=$(sed -n 's/^OPEN311_API_KEY=//p' var/dev-tokens.env | head -n 1)
  [[ -n "$key" ]] && extra=(--api-key "$key")
  token=$(sed -n 's/^STAFF_TOKEN=//p' var/dev-tokens.env | head -n 1)
  [[ -n "$token" ]] && extra+=(--token "$token")
fi
exec java -cp "deploy/target/deploy.jar:deploy/target/lib/*" org.city311.deploy.bench.Bench "$@" "${extra[@]}"
