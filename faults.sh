#!/usr/bin/env bash
# Fault scenarios against the local run. While requests are filed at a steady rate (and every fourth is resolved by
# its department as soon as it is routed):
#   1. the Kafka broker is killed with SIGKILL;
#   2. each service in turn is killed with SIGKILL;
#   3. the Mongo-wire store is killed with SIGKILL (./run.sh, which supervises them, restarts each);
#   5. every service is stopped (SIGTERM, held by var/hold), every consumer group is moved back to the start of the
#      load, and the services start again: everything since is delivered a second time;
#   4. poison is injected into every topic.
# Then every accepted request must be routed, those resolved shown resolved, each counted exactly once, and the
# dead-letter topics must hold the injected poison and nothing else. Start ./run.sh in another terminal first.
#   ./faults.sh [seconds of load, default 180]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-180}
[[ -f var/dev-tokens.env ]] || { echo "No var/dev-tokens.env: start ./run.sh first." >&2; exit 1; }
curl -sf http://127.0.0.1:8081/actuator/health >/dev/null || { echo "The local run is not up: start ./run.sh first." >&2; exit 1; }
[[ -f deploy/target/deploy.jar ]] || ./mvnw -B -q -DskipTests package
token() { sed -n "s/^$1=//p" var/dev-tokens.env | head -n 1; }
SERVICES=(routing-service request-service metrics-service feedback-service)
tool() { java -cp "deploy/target/deploy.jar:deploy/target/lib/*" "org.city311.deploy.bench.$1" "${@:2}"; }

since=$(( $(date +%s) * 1000 ))
tool FaultLoad --token "$(token STAFF_TOKEN)" --tokens var/dev-tokens.env \
    --seconds "$seconds" &
load=$!
release() { rm -rf var/hold; }
trap 'kill $load 2>/dev/null || true; release' EXIT
trap 'exit 130' INT TERM

kill9() { # <pattern> <name>
    local pid
    pid=$(pgrep -f -- "$1" | head -n 1 || true)
    if [[ -z "$pid" ]]; then echo "$(date +%T) $2 is not running (restarting?); skipped"; return; fi
    echo "$(date +%T) SIGKILL $2 (pid $pid)"
    kill -9 "$pid"
}

redeliver() {
    local service
    mkdir -p var/hold
    for service in "${SERVICES[@]}"; do touch "var/hold/$service"; done
    echo "$(date +%T) SIGTERM ${SERVICES[*]} (held), then every consumer group moved back to the start of the load"
    for service in "${SERVICES[@]}"; do pkill -TERM -f -- "$service/target/$service.jar" || true; done
    # Kafka moves a group's offsets only while it has no member: wait until every service has stopped.
    for _ in $(seq 1 120); do
        pgrep -f -- '-service/target/[a-z]+-service\.jar' >/dev/null || break
        sleep 1
    done
    tool Redeliver --since "$since" || echo "$(date +%T) redelivery failed"
    release
    echo "$(date +%T) services released"
}

step=$(( seconds / 9 ))
sleep "$step"; kill9 'kafka\.Kafka ' kafka
for service in "${SERVICES[@]}"; do
    sleep "$step"; kill9 "$service/target/$service.jar" "$service"
done
sleep "$step"; kill9 'org.city311.deploy.store.MongoWireStore' mongo-store
sleep "$step"; redeliver
sleep "$step"; echo "$(date +%T) poison into every topic"
poison=0
tool Poison --since "$since" || poison=$?
load_result=0
wait $load || load_result=$?
(( poison == 0 && load_result == 0 )) && echo "faults.sh: PASS" || { echo "faults.sh: FAIL"; exit 1; }
