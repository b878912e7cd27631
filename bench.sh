#!/usr/bin/env bash
# Benchmarks against the local run (start ./run.sh first). Prints figures; asserts nothing.
#   ./bench.sh intake  [--seconds 20] [--concurrency 16]   staff and Open311 intake, against the store's ceiling
#   ./bench.sh routing [--events 5000]                     request-created -> request-routed through the broker
# Both leave their requests in the local run's data.
set -euo pipefail
cd "$(dirname "$0")"
[[ -f deploy/target/deploy.jar ]] || ./mvnw -B -q -DskipTests package
curl -sf http://127.0.0.1:8081/actuator/health >/dev/null || { echo "The local run is not up: start ./run.sh first." >&2; exit 1; }
extra=()
if [[ "${1:-}" == "intake" && -f var/dev-tokens.env ]]; then
  key=$(sed -n 's/^OPEN311_API_KEY=//p' var/dev-tokens.env | head -n 1)
  [[ -n "$key" ]] && extra=(--api-key "$key")
fi
exec java -cp "deploy/target/deploy.jar:deploy/target/lib/*" org.city311.deploy.bench.Bench "$@" "${extra[@]}"
