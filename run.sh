#!/usr/bin/env bash
# Runs the whole City 311 platform locally, in the foreground: a Kafka broker (KRaft), the Mongo-wire
# store, a local OpenID Connect sign-in provider, the four services, the web console and, when it is installed,
# Prometheus. Builds first when the jars are missing
# or older than the sources. Ctrl-C stops everything it started.
#
#   ./run.sh                     the platform, on the data under ./var
#   ./run.sh --rebuild-metrics   the same, but metrics-service first deletes its ledgers and folds every
#                                topic again from the beginning (the figures come out the same)
#
# Set KAFKA_BOOTSTRAP_SERVERS or MONGODB_URI to use a broker or a MongoDB of your own instead;
# CITY311_START_TIMEOUT (seconds, default 180) bounds the wait for the services' health; METRICS_HEAP (default 768m)
# is metrics-service's heap, which holds a ledger per request (4g for a year of 3 million requests); STORE_HEAP (default
# 2g) is the local store's, which holds the services' indexes and every query's answer while it is sent.
# Logs: var/log/<name>.log. Data: var/kafka, var/mongo, var/prometheus. Console sign-in users: var/dev-users.env.
# A process that dies is restarted, unless var/hold/<name> exists (maintenance, e.g. faults.sh resetting
# consumer offsets): then it is restarted once that file is removed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd -P)

REBUILD_METRICS=false
for arg in "$@"; do
    case $arg in
        --rebuild-metrics) REBUILD_METRICS=true ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $arg (see ./run.sh --help)" >&2; exit 2 ;;
    esac
done

KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
MONGO_PORT=27017
MONGO_METRICS_PORT=9216
PROMETHEUS_PORT=9090
IDENTITY_PORT=9000
CONSOLE_PORT=8085
SERVICES=(request-service routing-service feedback-service metrics-service)
declare -A SERVICE_PORT=([request-service]=8081 [routing-service]=8082 [feedback-service]=8083 [metrics-service]=8084)
# The console and the local sign-in provider are started like the services and stopped with them.
WEB=()
# Four Spring Boot services starting together on a 2-core laptop take 1-2 minutes; raise it on a slower one.
HEALTH_TIMEOUT=${CITY311_START_TIMEOUT:-180}
STOP_TIMEOUT=20
MAX_RESTARTS_PER_MINUTE=5

LIB="deploy/target/lib"
DEPLOY_JAR="deploy/target/deploy.jar"
LOG_DIR="var/log"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { say "ERROR: $*" >&2; exit 1; }

# --- one at a time ----------------------------------------------------------------------------------

mkdir -p var "$LOG_DIR"
exec 9>var/run.lock
if ! flock -n 9; then
    echo "run.sh is already running (var/run.lock is held); stop that one first." >&2
    exit 1
fi

rm -rf var/hold  # holds belong to the run that set them

command -v "$JAVA" >/dev/null || fail "java not found (Java 17 or newer is needed)"
command -v curl >/dev/null || fail "curl not found (it checks the services' health)"

# --- process bookkeeping ----------------------------------------------------------------------------

declare -A HELD=()         # name -> 1 while its restart waits for var/hold/<name> to go
declare -A PID=()          # name -> pid of a process this script started and that should be running
declare -A HEALTH_URL=()   # name -> URL that answers 2xx when the process is ready
declare -A RESTART_AT=()   # name -> $SECONDS at which a crashed process is due to start again
declare -A RESTARTS=()     # name -> space-separated $SECONDS of its recent restarts
STOPPING=0
STARTED_ANY=0
SLEEPER=""

# Sleeps in the background so that Ctrl-C is handled at once, not after the sleep.
pause() {
    sleep "$1" & SLEEPER=$!
    wait "$SLEEPER" 2>/dev/null || true
    SLEEPER=""
}

alive() { [[ -n "${PID[$1]:-}" ]] && kill -0 "${PID[$1]}" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

log_of() { echo "$LOG_DIR/$1.log"; }

show_log_tail() {
    local log; log=$(log_of "$1")
    [[ -s "$log" ]] || return 0
    echo "----- last lines of $log -----" >&2
    tail -n 40 "$log" >&2
    echo "-----" >&2
}

# Keeps the previous run's log as <name>.log.1; restarts within this run append to the same file.
rotate_log() {
    local log; log=$(log_of "$1")
    [[ -e "$log" ]] && mv -f "$log" "$log.1"
    : >"$log"
}

# Starts "$@" in the background with its output appended to the named log. The command is a simple
# command, so bash execs it and $! is the real process, which is what gets signalled on shutdown.
# fd 9 (the lock) is closed for it: the lock belongs to this script only.
launch() {
    local name=$1; shift
    local log; log=$(log_of "$name")
    printf '=== %s started by run.sh: %s\n' "$(date '+%F %T')" "$*" >>"$log"
    "$@" >>"$log" 2>&1 9>&- </dev/null &
    PID[$name]=$!
    STARTED_ANY=1
}

# Sends SIGTERM to the named processes, waits up to STOP_TIMEOUT, then SIGKILLs what is left. Says how long each
# took; a kill is said on the console and written at the end of the process's own log, where its last lines are.
stop_group() {
    local name pids=() deadline started=$SECONDS took=()
    for name in "$@"; do
        unset 'RESTART_AT[$name]'
        if alive "$name"; then
            kill -TERM "${PID[$name]}" 2>/dev/null || true
            pids+=("$name")
        fi
    done
    ((${#pids[@]})) || return 0
    say "Stopping ${pids[*]}"
    declare -A stopped_after=()
    deadline=$((SECONDS + STOP_TIMEOUT))
    while ((SECONDS < deadline)); do
        local running=0
        for name in "${pids[@]}"; do
            if alive "$name"; then
                running=1
            elif [[ -z ${stopped_after[$name]:-} ]]; then
                stopped_after[$name]=$((SECONDS - started))
            fi
        done
        ((running)) || break
        sleep 0.2
    done
    for name in "${pids[@]}"; do
        if alive "$name"; then
            say "KILLING $name (pid ${PID[$name]}): still running ${STOP_TIMEOUT} s after SIGTERM (log: $(log_of "$name"))"
            printf '=== %s killed by run.sh: still running %s s after SIGTERM\n' "$(date '+%F %T')" "$STOP_TIMEOUT" \
                >>"$(log_of "$name")"
            kill -KILL "${PID[$name]}" 2>/dev/null || true
            took+=("$name killed")
        else
            took+=("$name ${stopped_after[$name]:-$((SECONDS - started))} s")
        fi
        wait "${PID[$name]}" 2>/dev/null || true
        unset 'PID[$name]'
    done
    local summary="" item
    for item in "${took[@]}"; do summary+="${summary:+, }$item"; done
    say "Stopped: $summary"
}

stop_all() {
    STOPPING=1
    if [[ -n "$SLEEPER" ]]; then kill "$SLEEPER" 2>/dev/null || true; fi
    stop_group "${SERVICES[@]}" "${WEB[@]+"${WEB[@]}"}" prometheus
    stop_group mongo-store kafka
}

# A second Ctrl-C while stopping does not cut the shutdown short; the SIGKILL deadline bounds it.
stopping_notice() { trap 'say "Still stopping; anything left gets SIGKILL after ${STOP_TIMEOUT} s"' INT TERM; }
on_signal() {
    stopping_notice
    echo
    say "Received SIG$1; stopping"
    case $1 in INT) exit 130 ;; HUP) exit 129 ;; *) exit 143 ;; esac
}
on_exit() {
    local code=$?
    stopping_notice
    stop_all
    if ((STARTED_ANY)); then
        if ((code >= 128)); then say "Stopped"; elif ((code != 0)); then say "Stopped after an error"; fi
    fi
    exit "$code"
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP
trap on_exit EXIT

# --- build if needed --------------------------------------------------------------------------------

ARTIFACTS=()
for s in "${SERVICES[@]}" console identity-provider; do ARTIFACTS+=("$s/target/$s.jar"); done
ARTIFACTS+=("$DEPLOY_JAR")

build_reason() {
    local a oldest=""
    for a in "${ARTIFACTS[@]}"; do
        [[ -f "$a" ]] || { echo "$a is missing"; return; }
        [[ -z "$oldest" || "$a" -ot "$oldest" ]] && oldest=$a
    done
    compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null || { echo "$LIB is missing"; return; }
    # The services depend on contracts and platform, so any module's source counts against every jar.
    local newer
    newer=$(find . -path ./var -prune -o -path ./.git -prune -o -path '*/target' -prune -o \
        \( -path '*/src/*' -o -name pom.xml \) -type f -newer "$oldest" -print -quit)
    [[ -z "$newer" ]] || echo "${newer#./} is newer than $oldest"
}

reason=$(build_reason)
if [[ -n "$reason" ]]; then
    say "Building (./mvnw -B -q -DskipTests package) because $reason"
    touch var/build.stamp
    ./mvnw -B -q -DskipTests package || fail "the build failed"
    # Maven may leave an unchanged jar untouched, which would rebuild at every start; dating the jars to
    # the build's start instead still catches a source edited while the build ran.
    touch -c -r var/build.stamp "${ARTIFACTS[@]}"
    rm -f var/build.stamp
    for a in "${ARTIFACTS[@]}"; do [[ -f "$a" ]] || fail "the build finished without $a"; done
    compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null || fail "the build finished without $LIB"
    say "Build done"
fi

# --- refuse busy ports ------------------------------------------------------------------------------

# Something already listening (say, a service left over from a killed run) would answer the health
# checks in place of the process started here, so stop before starting anything.
PORTS=()
[[ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]] && PORTS+=("$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT")
[[ -z "${MONGODB_URI:-}" ]] && PORTS+=("$MONGO_PORT" "$MONGO_METRICS_PORT")
for s in "${SERVICES[@]}"; do PORTS+=("${SERVICE_PORT[$s]}"); done
PORTS+=("$CONSOLE_PORT")
[[ -z "${JWT_ISSUER_URI:-}" && -z "${JWT_JWK_SET_URI:-}" ]] && PORTS+=("$IDENTITY_PORT")
for port in "${PORTS[@]}"; do
    port_open "$port" && fail "port $port is already in use (is something left from an earlier run? see: ss -ltnp 'sport = :$port')"
done

# --- Kafka ------------------------------------------------------------------------------------------

KAFKA_LOG4J="-Dlog4j2.configurationFile=deploy/local/kafka-log4j2.yaml"

start_kafka() {
    launch kafka "$JAVA" -Xmx512m -XX:+ExitOnOutOfMemoryError "$KAFKA_LOG4J" -cp "$LIB/*" \
        kafka.Kafka var/kafka/server.properties
}

wait_for_kafka() {
    local log deadline=$((SECONDS + 90))
    log=$(log_of kafka)
    # The port opens before the broker has caught up with its metadata log; the log line comes after.
    until port_open "$KAFKA_PORT" && grep -q 'Kafka Server started' "$log"; do
        alive kafka || { show_log_tail kafka; fail "the Kafka broker exited while starting"; }
        ((SECONDS < deadline)) || { show_log_tail kafka; fail "the Kafka broker was not ready within 90 s"; }
        pause 0.5
    done
}

if [[ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]]; then
    mkdir -p var/kafka/data
    rotate_log kafka
    cat >var/kafka/server.properties <<EOF
# Written by run.sh at every start; edit run.sh instead.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$ROOT/var/kafka/data
num.partitions=3
auto.create.topics.enable=true
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
# 50 by default; a few hold all local consumer groups and make each start lighter on a laptop.
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
    # Format once; the cluster id is kept so the data in var/kafka/data stays valid across restarts.
    if [[ ! -f var/kafka/data/meta.properties ]]; then
        if [[ ! -s var/kafka/cluster.id ]]; then
            "$JAVA" -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>>"$(log_of kafka)" 9>&- \
                | grep -E '^[A-Za-z0-9_-]{22}$' | tail -n 1 >var/kafka/cluster.id || true
            [[ -s var/kafka/cluster.id ]] || fail "could not create a Kafka cluster id (see $(log_of kafka))"
        fi
        say "Formatting Kafka storage in var/kafka/data"
        "$JAVA" "$KAFKA_LOG4J" -cp "$LIB/*" kafka.tools.StorageTool format --standalone \
            -t "$(cat var/kafka/cluster.id)" -c var/kafka/server.properties >>"$(log_of kafka)" 2>&1 9>&- \
            || { show_log_tail kafka; fail "formatting the Kafka storage failed"; }
    fi
    say "Starting Kafka on 127.0.0.1:$KAFKA_PORT"
    start_kafka
    wait_for_kafka
    export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
    KAFKA_NOTE="(started here, data in var/kafka)"
else
    KAFKA_NOTE="(yours, from KAFKA_BOOTSTRAP_SERVERS)"
fi

# --- Mongo-wire store -------------------------------------------------------------------------------

start_mongo_store() {
    # log4j2.level: mongo-java-server logs through log4j's default configuration; keep its warnings.
    launch mongo-store "$JAVA" "-Xmx${STORE_HEAP:-2g}" -XX:+ExitOnOutOfMemoryError -Dlog4j2.level=WARN \
        -cp "$DEPLOY_JAR:$LIB/*" org.city311.deploy.store.MongoWireStore \
        --host 127.0.0.1 --port "$MONGO_PORT" --metrics-port "$MONGO_METRICS_PORT" --file var/mongo/city311.mv
}

if [[ -z "${MONGODB_URI:-}" ]]; then
    rotate_log mongo-store
    say "Starting the Mongo-wire store on 127.0.0.1:$MONGO_PORT"
    start_mongo_store
    deadline=$((SECONDS + 30))
    until port_open "$MONGO_PORT"; do
        alive mongo-store || { show_log_tail mongo-store; fail "the Mongo-wire store exited while starting"; }
        ((SECONDS < deadline)) || { show_log_tail mongo-store; fail "the Mongo-wire store did not open its port within 30 s"; }
        pause 0.5
    done
    export MONGODB_URI="mongodb://127.0.0.1:$MONGO_PORT"
    MONGO_NOTE="(Mongo-wire store started here, file var/mongo/city311.mv)"
else
    MONGO_NOTE="(yours, from MONGODB_URI)"
fi

# --- Open311 development key ------------------------------------------------------------------------

# An api_key for Open311 clients on this machine (curl, a local FixMyStreet): made at the first run, kept in
# var/dev-tokens.env as the line OPEN311_API_KEY=... (other lines of the file are left alone), and registered
# by request-service at start as the client "local development".
DEV_TOKENS=var/dev-tokens.env
OPEN311_DEV_KEY=""
[[ -f "$DEV_TOKENS" ]] && OPEN311_DEV_KEY=$(sed -n 's/^OPEN311_API_KEY=//p' "$DEV_TOKENS" | tail -n 1)
if [[ ! $OPEN311_DEV_KEY =~ ^[^[:space:]]+$ ]]; then
    OPEN311_DEV_KEY=$(head -c 24 /dev/urandom | base64 | tr -dc A-Za-z0-9)
    touch "$DEV_TOKENS"
    awk -v line="OPEN311_API_KEY=$OPEN311_DEV_KEY" '
        /^OPEN311_API_KEY=/ { if (!done) print line; done = 1; next }
        { print }
        END { if (!done) print line }' "$DEV_TOKENS" >"$DEV_TOKENS.tmp"
    chmod 600 "$DEV_TOKENS.tmp"
    mv -f "$DEV_TOKENS.tmp" "$DEV_TOKENS"
    say "Open311 development api_key written to $DEV_TOKENS"
fi

# --- bearer tokens ----------------------------------------------------------------------------------

# Every API but Open311, surveys, health and metrics needs a bearer JWT. Unless JWT_ISSUER_URI or
# JWT_JWK_SET_URI names a real identity provider, a local RSA key (var/jwt, made at the first run) stands in for
# one: the services check tokens against its public key, and var/dev-tokens.env gets a token per role and per
# department (STAFF_TOKEN, AGENT_TOKEN_TRANSPORTATION, ...), valid 30 days and renewed at every start.
if [[ -z "${JWT_ISSUER_URI:-}" && -z "${JWT_JWK_SET_URI:-}" ]]; then
    "$JAVA" -cp "$DEPLOY_JAR:$LIB/*" org.city311.deploy.local.DevTokenFile \
        var/jwt routing-service/src/main/resources/catalog/sample-city.yml "$DEV_TOKENS" >/dev/null \
        || fail "could not make the local signing key and tokens"
    export JWT_PUBLIC_KEY_LOCATION="file:var/jwt/public.pem"
    # feedback-service's own identity (it reads residents' addresses for survey e-mails): signed with the same key
    SERVICE_SIGNING_KEY="var/jwt/private.pem"
    TOKENS_NOTE="STAFF_TOKEN, OPS_TOKEN, AGENT_TOKEN_<DEPT>...: source it, then curl -H \"Authorization: Bearer \$STAFF_TOKEN\""
else
    TOKENS_NOTE="tokens come from your identity provider (JWT_ISSUER_URI / JWT_JWK_SET_URI)"
fi

# --- sign-in: the local OpenID Connect provider --------------------------------------------------------

# The console signs staff in at an OpenID Connect provider. Unless the city's is named (JWT_ISSUER_URI, with the
# console's client secrets in CONSOLE_CLIENT_SECRET and CONSOLE_PUBLIC_CLIENT_SECRET), a local one is started: it
# signs with the same local key as the dev tokens, for the same issuer and audience, so the services accept both;
# it has a user per role and per department, whose passwords it keeps in var/dev-users.env.
CONSOLE_SECRETS=var/console-secrets.env
DEV_USERS=var/dev-users.env
LOCAL_SIGN_IN=false
if [[ -z "${JWT_ISSUER_URI:-}" && -z "${JWT_JWK_SET_URI:-}" ]]; then
    LOCAL_SIGN_IN=true
    if [[ ! -s "$CONSOLE_SECRETS" ]]; then
        (umask 077
         printf 'CONSOLE_CLIENT_SECRET=%s\nCONSOLE_PUBLIC_CLIENT_SECRET=%s\n' \
             "$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9)" \
             "$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9)" >"$CONSOLE_SECRETS")
    fi
    CONSOLE_CLIENT_SECRET=$(sed -n 's/^CONSOLE_CLIENT_SECRET=//p' "$CONSOLE_SECRETS")
    CONSOLE_PUBLIC_CLIENT_SECRET=$(sed -n 's/^CONSOLE_PUBLIC_CLIENT_SECRET=//p' "$CONSOLE_SECRETS")
    OIDC_ISSUER_URI="http://localhost:$IDENTITY_PORT"
    WEB+=(identity-provider)
elif [[ -n "${JWT_ISSUER_URI:-}" && -n "${CONSOLE_CLIENT_SECRET:-}" && -n "${CONSOLE_PUBLIC_CLIENT_SECRET:-}" ]]; then
    OIDC_ISSUER_URI=$JWT_ISSUER_URI
else
    OIDC_ISSUER_URI=""
fi

start_identity_provider() {
    CONSOLE_CLIENT_SECRET=$CONSOLE_CLIENT_SECRET CONSOLE_PUBLIC_CLIENT_SECRET=$CONSOLE_PUBLIC_CLIENT_SECRET \
    JWT_PRIVATE_KEY_LOCATION=var/jwt/private.pem DEV_USERS_FILE=$DEV_USERS PORT=$IDENTITY_PORT \
    CATALOG_LOCATION=routing-service/src/main/resources/catalog/sample-city.yml \
    CONSOLE_URL="http://localhost:$CONSOLE_PORT" \
        launch identity-provider "$JAVA" -Xmx128m -XX:+ExitOnOutOfMemoryError -jar identity-provider/target/identity-provider.jar
}

start_console() {
    OIDC_ISSUER_URI=$OIDC_ISSUER_URI CONSOLE_CLIENT_SECRET=$CONSOLE_CLIENT_SECRET \
    CONSOLE_PUBLIC_CLIENT_SECRET=$CONSOLE_PUBLIC_CLIENT_SECRET SERVER_PORT=$CONSOLE_PORT \
    GRAFANA_URL=${GRAFANA_URL:-} \
        launch console "$JAVA" -Xmx192m -XX:+ExitOnOutOfMemoryError -jar console/target/console.jar
}

if [[ $LOCAL_SIGN_IN == true ]]; then
    rotate_log identity-provider
    say "Starting the local sign-in provider on http://localhost:$IDENTITY_PORT"
    HEALTH_URL[identity-provider]="http://localhost:$IDENTITY_PORT/actuator/health"
    start_identity_provider
fi

# --- services and Prometheus ------------------------------------------------------------------------

start_service() {
    local open311_key="" rebuild=false signing_key="" heap=256m
    # metrics-service holds its partitions' ledgers in memory, about 720 bytes a request: 768m (as on Kubernetes,
    # 75 % of its 1Gi) holds some 800,000; 256m filled at 250,000 and left it collecting garbage. A year of a big
    # city (3 million requests) needs METRICS_HEAP=4g
    [[ $1 == metrics-service ]] && heap=${METRICS_HEAP:-768m}
    [[ $1 == request-service ]] && open311_key=$OPEN311_DEV_KEY  # only request-service reads it
    [[ $1 == feedback-service ]] && signing_key=${SERVICE_SIGNING_KEY:-}  # only feedback-service signs as itself
    # A rebuild is asked for once: a restart after a crash carries on from the rebuilt ledgers.
    if [[ $1 == metrics-service && $REBUILD_METRICS == true ]]; then
        rebuild=true
        REBUILD_METRICS=false
        say "metrics-service rebuilds its service levels from every topic"
    fi
    # request-service limits public tracking per visitor: the console (on this machine) forwards their address.
    local proxies=""
    [[ $1 == request-service ]] && proxies=${TRUSTED_PROXIES:-127.0.0.1/32}
    TRUSTED_PROXIES=$proxies \
    METRICS_REBUILD=$rebuild CITY311_OPEN311_DEV_API_KEY=$open311_key JWT_PRIVATE_KEY_LOCATION=$signing_key \
        launch "$1" "$JAVA" "-Xmx$heap" \
        -XX:+ExitOnOutOfMemoryError -jar "$1/target/$1.jar"
}

start_prometheus() {
    launch prometheus prometheus --config.file=deploy/prometheus/prometheus.yml \
        --storage.tsdb.path=var/prometheus --web.listen-address="127.0.0.1:$PROMETHEUS_PORT"
}

start() {
    case $1 in
        kafka) start_kafka ;;
        mongo-store) start_mongo_store ;;
        prometheus) start_prometheus ;;
        identity-provider) start_identity_provider ;;
        console) start_console ;;
        *) start_service "$1" ;;
    esac
}

say "Starting ${SERVICES[*]}"
for s in "${SERVICES[@]}"; do
    rotate_log "$s"
    HEALTH_URL[$s]="http://localhost:${SERVICE_PORT[$s]}/actuator/health"
    start_service "$s"
done

healthy() {
    local body
    body=$(curl -fsS -m 2 "${HEALTH_URL[$1]}" 2>/dev/null) || return 1
    [[ $1 == prometheus ]] || [[ $body =~ \"status\"[[:space:]]*:[[:space:]]*\"UP\" ]]
}

CONSOLE_NOTE=""
if [[ -n "$OIDC_ISSUER_URI" ]]; then
    if [[ $LOCAL_SIGN_IN == true ]]; then
        # The console reads the provider's discovery document at start: wait for the provider first.
        deadline=$((SECONDS + HEALTH_TIMEOUT))
        until healthy identity-provider; do
            alive identity-provider || { show_log_tail identity-provider; fail "the sign-in provider exited while starting"; }
            ((SECONDS < deadline)) || { show_log_tail identity-provider; fail "the sign-in provider was not ready within ${HEALTH_TIMEOUT} s"; }
            pause 1
        done
        say "identity-provider is up"
    fi
    rotate_log console
    WEB+=(console)
    HEALTH_URL[console]="http://localhost:$CONSOLE_PORT/actuator/health"
    start_console
    CONSOLE_NOTE="http://localhost:$CONSOLE_PORT"
else
    say "Not starting the console: with JWT_ISSUER_URI set it needs CONSOLE_CLIENT_SECRET and CONSOLE_PUBLIC_CLIENT_SECRET (the city's provider's clients city311-console and city311-console-public)"
fi

PROMETHEUS_NOTE=""
if command -v prometheus >/dev/null && [[ -f deploy/prometheus/prometheus.yml ]]; then
    if port_open "$PROMETHEUS_PORT"; then
        say "Port $PROMETHEUS_PORT is in use; not starting Prometheus"
    else
        rotate_log prometheus
        HEALTH_URL[prometheus]="http://localhost:$PROMETHEUS_PORT/-/ready"
        start_prometheus
        PROMETHEUS_NOTE="http://localhost:$PROMETHEUS_PORT"
    fi
fi


pending=()
for name in "${!HEALTH_URL[@]}"; do [[ $name == identity-provider ]] || pending+=("$name"); done
started_at=$SECONDS
while ((${#pending[@]})); do
    still=()
    for name in "${pending[@]}"; do
        alive "$name" || { show_log_tail "$name"; fail "$name exited while starting"; }
        if healthy "$name"; then
            say "$name is up ($((SECONDS - started_at)) s)"
        else
            still+=("$name")
        fi
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]})) || break
    if ((SECONDS - started_at >= HEALTH_TIMEOUT)); then
        for name in "${pending[@]}"; do show_log_tail "$name"; done
        fail "not healthy after ${HEALTH_TIMEOUT} s: ${pending[*]}"
    fi
    pause 2
done

# Hides a password in a MongoDB URI given by the user.
redact() { sed -E 's#//[^/@]*@#//***@#' <<<"$1"; }

row() { printf '  %-17s %-27s %s\n' "$@"; }
echo
echo "City 311 is running. Ctrl-C stops everything."
echo
[[ -z "$CONSOLE_NOTE" ]] || row console "$CONSOLE_NOTE" "the staff console (sign in below); public pages /departments, /track"
[[ $LOCAL_SIGN_IN == false ]] || row "sign-in provider" "http://localhost:$IDENTITY_PORT" "local OpenID Connect provider (users in $DEV_USERS)"
row request-service http://localhost:8081 "staff API /api/requests, Open311 /open311/v2"
row routing-service http://localhost:8082 "/api/catalog/services, /api/departments/{code}/queue"
row feedback-service http://localhost:8083 "/api/feedback"
row metrics-service http://localhost:8084 "/actuator/prometheus, /api/scorecards, /api/goals"
[[ -z "$PROMETHEUS_NOTE" ]] || row prometheus "$PROMETHEUS_NOTE" "/targets, /alerts"
row Kafka "$KAFKA_BOOTSTRAP_SERVERS" "$KAFKA_NOTE"
row MongoDB "$(redact "$MONGODB_URI")" "$MONGO_NOTE"
row logs "$LOG_DIR/" ""
row "Open311 api_key" "$DEV_TOKENS" "OPEN311_API_KEY, for POST /open311/v2/requests.xml"
row "bearer tokens" "$DEV_TOKENS" "$TOKENS_NOTE"
echo
if [[ $LOCAL_SIGN_IN == true && -s $DEV_USERS ]]; then
    echo "Console sign-in users (username:password, from $DEV_USERS):"
    grep -E '^(STAFF|OPS|ADMIN|AUDITOR)_LOGIN=|^(AGENT|SUPERVISOR)_LOGIN_(TRANSPORTATION|PARKS)=|^SUPERVISOR_LOGIN_CALL_CENTRE=' "$DEV_USERS" \
        | sed 's/^/  /'
    echo "  ... and an agent and a supervisor for every other department: see $DEV_USERS"
    echo
fi

# --- supervise --------------------------------------------------------------------------------------

# Restarts a process that died, after 2, 4, 6... seconds; more than MAX_RESTARTS_PER_MINUTE restarts of
# one process within a minute means it will not recover by itself, so everything is stopped.
schedule_restart() {
    local name=$1 code=$2 t recent=()
    for t in ${RESTARTS[$name]:-}; do ((SECONDS - t < 60)) && recent+=("$t"); done
    if ((${#recent[@]} >= MAX_RESTARTS_PER_MINUTE)); then
        show_log_tail "$name"
        fail "$name exited (code $code) after ${#recent[@]} restarts within a minute; giving up"
    fi
    RESTARTS[$name]="${recent[*]+"${recent[*]}"} $SECONDS"
    RESTART_AT[$name]=$((SECONDS + 2 * (${#recent[@]} + 1)))
    say "$name exited (code $code); restarting it in $((2 * (${#recent[@]} + 1))) s (log: $(log_of "$name"))"
}

while ((!STOPPING)); do
    pause 1
    for name in "${!PID[@]}"; do
        alive "$name" && continue
        code=0
        wait "${PID[$name]}" 2>/dev/null || code=$?
        unset 'PID[$name]'
        schedule_restart "$name" "$code"
    done
    for name in "${!RESTART_AT[@]}"; do
        ((SECONDS >= RESTART_AT[$name])) || continue
        if [[ -e var/hold/$name ]]; then
            [[ -n ${HELD[$name]:-} ]] || say "$name is held (var/hold/$name); restarting it when that file is removed"
            HELD[$name]=1
            continue
        fi
        unset 'RESTART_AT[$name]' 'HELD[$name]'
        start "$name"
        say "$name restarted (pid ${PID[$name]})"
    done
done
