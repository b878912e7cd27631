#!/usr/bin/env bash
# The whole test suite (./mvnw verify, every module, the end-to-end tests included) with the machine's clock
# moved: a suite that passes only on the day it was written fails here first. Debian's faketime shifts the clock of
# Maven and of every JVM it starts (tests, the services' jars, the embedded broker); the services' own clock in the
# tests starts at a fixed day whatever the date (TestClock), the token checks follow the shifted machine clock.
#   ./timeshift.sh               a year ahead, then a year back
#   ./timeshift.sh +30d -2y      any offsets faketime takes
# Each run takes as long as ./mvnw verify; the logs go to target/timeshift-<offset>.log.
set -euo pipefail
cd "$(dirname "$0")"
offsets=("$@")
((${#offsets[@]})) || offsets=(+365d -365d)
if ! command -v faketime >/dev/null 2>&1; then
    as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends faketime
fi
mkdir -p target
failed=()
for offset in "${offsets[@]}"; do
    log="target/timeshift-${offset}.log"
    echo "./mvnw verify with the clock at $(faketime -f "$offset" date -u '+%F %T UTC') (log: $log)"
    if faketime -f "$offset" ./mvnw -B verify >"$log" 2>&1; then
        echo "  passed: $(grep -a 'Tests run:' "$log" | grep -av 'Time elapsed' | awk -F'[ ,]+' '{n+=$4} END {print n}') tests"
    else
        echo "  FAILED: see $log"
        failed+=("$offset")
    fi
done
((${#failed[@]} == 0)) || { echo "failed with the clock moved by: ${failed[*]}"; exit 1; }
