#!/usr/bin/env bash
# Fault scenarios against the local run: while requests are filed at a steady rate, the Kafka broker, each service
# in turn and the Mongo-wire store are killed with SIGKILL (./run.sh, which supervises them, restarts each);
# then every accepted request must be routed and counted exactly once. Start ./run.sh in another terminal first.
#   ./faults.sh [seconds of load, default 180]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-180}
[[ -f var/dev-tokens.env ]] || { echo "No var/dev-tokens.env: start ./run.sh first." >&2; exit 1; }
curl -sf http://127.0.0.1:8081/actuator/health >/dev/null || { echo "The local run is not up: start ./run.sh first." >&2; exit 1; }
[[ -f deploy/target/deploy.jar ]] || ./mvnw -B -q -DskipTests package
token=$(sed -n 's/^STAFF_TOKEN=//p' var/dev-tokens.env | head -n 1)

java -cp "deploy/target/deploy.jar:deploy/target/lib/*" org.city311.deploy.bench.FaultLoad \
    --token "$token" --seconds "$seconds" &
load=$!
trap 'kill $load 2>/dev/null || true' INT TERM

kill9() { # <pattern> <name>
    local pid
    pid=$(pgrep -f -- "$1" | head -n 1 || true)
    if [[ -z "$pid" ]]; then echo "$(date +%T) $2 is not running (restarting?); skipped"; return; fi
    echo "$(date +%T) SIGKILL $2 (pid $pid)"
    kill -9 "$pid"
}

step=$(( seconds / 7 ))
sleep "$step"; kill9 'kafka\.Kafka ' kafka
for service in routing-service request-service metrics-service feedback-service; do
    sleep "$step"; kill9 "$service/target/$service.jar" "$service"
done
sleep "$step"; kill9 'org.city311.deploy.MongoWireStore' mongo-store
wait $load
