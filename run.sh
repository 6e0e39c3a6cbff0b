#!/usr/bin/env bash
# Runs Panel on this machine without Docker (Debian/Ubuntu, as root):
#   ./run.sh           install PostgreSQL/RabbitMQ/Chromium if missing, start them, build, start
#                      the four services and the gateway, wait in the foreground (Ctrl-C stops)
#   ./run.sh --demo    the same, and once healthy: ~2 000 generated demo members with history and
#                      campaigns (if Membership has none yet) and the county's population reference
#   ./run.sh stop      stop everything ./run.sh started, PostgreSQL and RabbitMQ included
#
# Environment: PANEL_PORT (8080), PANEL_HOST (127.0.0.1), PANEL_ADMIN_EMAIL, PANEL_ADMIN_PASSWORD,
# PANEL_STOP_SERVERS=1 (also stop PostgreSQL and RabbitMQ on Ctrl-C), PANEL_LOCAL_DIR (.local),
# PANEL_PG_PORT (55432), PANEL_RABBIT_PORT (5672), PANEL_DB_SUFFIX (e.g. _bench: databases
# membershipdb_bench, ... of their own, created at start; for benchmarks and throwaway demos).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PANEL_REPO_ROOT="$REPO"
# shellcheck source=deploy/local/servers.sh
source "$REPO/deploy/local/servers.sh"

PROCS=(membership surveys feedback reporting gateway)
declare -A PROJECT_DIR=(
    [membership]=services/Membership/Panel.Membership
    [surveys]=services/Surveys/Panel.Surveys
    [feedback]=services/Feedback/Panel.Feedback
    [reporting]=services/Reporting/Panel.Reporting
    [gateway]=gateway/Panel.Gateway
)
declare -A ASSEMBLY=(
    [membership]=Panel.Membership
    [surveys]=Panel.Surveys
    [feedback]=Panel.Feedback
    [reporting]=Panel.Reporting
    [gateway]=Panel.Gateway
)
PANEL_PORT="${PANEL_PORT:-8080}"
PANEL_HOST="${PANEL_HOST:-127.0.0.1}"
declare -A PORT=([membership]=5081 [surveys]=5082 [feedback]=5083 [reporting]=5084 [gateway]="$PANEL_PORT")
RUN_DIR="$PANEL_LOCAL_DIR/run"
LOG_DIR="$PANEL_LOCAL_DIR/logs"
HEALTH_TIMEOUT=120
DEMO=0
declare -A STARTED=()

say() { printf '%s\n' "$*"; }

# Address to reach a process on from this machine.
local_url() {
    local name=$1 host=127.0.0.1
    if [[ $name == gateway ]]; then
        case "$PANEL_HOST" in
            0.0.0.0 | '*' | + | '[::]' | ::) ;;
            *) host="$PANEL_HOST" ;;
        esac
    fi
    printf 'http://%s:%s' "$host" "${PORT[$name]}"
}

bind_url() {
    local name=$1
    if [[ $name == gateway ]]; then
        printf 'http://%s:%s' "$PANEL_HOST" "$PANEL_PORT"
    else
        printf 'http://127.0.0.1:%s' "${PORT[$name]}"
    fi
}

# True while the process exists and is not a zombie.
pid_running() {
    local pid=$1 state
    [[ -r "/proc/$pid/stat" ]] || return 1
    state="$(sed -E 's/^.*\) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
    [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# True if the pid file names a live process running the given text in its command line.
pidfile_alive() {
    local file=$1 text=$2 pid
    [[ -s "$file" ]] || return 1
    pid="$(cat "$file")"
    [[ "$pid" =~ ^[0-9]+$ ]] && pid_running "$pid" &&
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$text"
}

# Sends TERM, waits up to 20 s, then KILL.
terminate() {
    local pid=$1 i
    pid_running "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 40; i++)); do
        pid_running "$pid" || return 0
        sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
}

stop_started() {
    local name pid i
    for ((i = ${#PROCS[@]} - 1; i >= 0; i--)); do
        name="${PROCS[$i]}"
        pid="${STARTED[$name]:-}"
        [[ -n "$pid" ]] || continue
        say "stopping $name (pid $pid)"
        terminate "$pid"
        wait "$pid" 2>/dev/null || true
        rm -f "$RUN_DIR/$name.pid"
        unset "STARTED[$name]"
    done
}

cleanup() {
    trap - INT TERM HUP EXIT
    stop_started
    rm -f "$RUN_DIR/run.pid"
    if [[ "${PANEL_STOP_SERVERS:-0}" == 1 ]]; then
        panel_stop_servers
    fi
}

stop_all() {
    local name i
    # A ./run.sh in the foreground stops its own processes on TERM.
    if pidfile_alive "$RUN_DIR/run.pid" run.sh; then
        local pid
        pid="$(cat "$RUN_DIR/run.pid")"
        say "stopping ./run.sh (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 240; i++)); do
            pid_running "$pid" || break
            sleep 0.5
        done
    fi
    for name in "${PROCS[@]}"; do
        if pidfile_alive "$RUN_DIR/$name.pid" "${ASSEMBLY[$name]}.dll"; then
            say "stopping $name (pid $(cat "$RUN_DIR/$name.pid"))"
            terminate "$(cat "$RUN_DIR/$name.pid")"
        fi
        rm -f "$RUN_DIR/$name.pid"
    done
    rm -f "$RUN_DIR/run.pid"
    panel_stop_servers
}

admin_password_note() {
    if [[ -n "${PANEL_ADMIN_PASSWORD:-}" ]]; then
        export Bootstrap__AdminPassword="$PANEL_ADMIN_PASSWORD"
        ADMIN_PASSWORD_WHERE="from PANEL_ADMIN_PASSWORD"
    else
        local file="$PANEL_LOCAL_DIR/secrets/admin-password"
        if [[ ! -s "$file" ]]; then
            # >= 12 characters with upper case, lower case, a digit and a non-alphanumeric
            (umask 077 && printf 'Pa1-%s\n' "$(openssl rand -hex 12)" >"$file")
        fi
        Bootstrap__AdminPassword="$(tr -d '\n' <"$file")"
        export Bootstrap__AdminPassword
        ADMIN_PASSWORD_WHERE="in $file"
    fi
}

start_proc() {
    local name=$1 dir="$REPO/${PROJECT_DIR[$1]}" dll="bin/Release/net10.0/${ASSEMBLY[$1]}.dll"
    local log="$LOG_DIR/$name.log" db
    [[ -f "$dir/$dll" ]] || panel_die "$dir/$dll not found (did the build succeed?)"
    if panel__port_open "${PORT[$name]}"; then
        panel_die "port ${PORT[$name]} for $name is already in use (another ./run.sh? try ./run.sh stop)"
    fi
    (
        cd "$dir"
        # each service sees only its own database (the gateway: gatewaydb)
        for db in "${PANEL_DATABASES[@]}"; do
            [[ "$db" == "${name}db" ]] || unset "ConnectionStrings__$db"
        done
        unset PANEL_TEST_POSTGRES PANEL_TEST_RABBITMQ PANEL_TEST_RABBITMQ_PASSWORD
        export ASPNETCORE_URLS
        ASPNETCORE_URLS="$(bind_url "$name")"
        export Database__MigrateOnStart=true
        if [[ $name == gateway ]]; then
            local s
            for s in membership surveys feedback reporting; do
                export "services__${s}__http__0=$(local_url "$s")"
            done
            export Bootstrap__AdminEmail="$ADMIN_EMAIL"
        else
            unset GatewayToken__PrivateKey Bootstrap__AdminPassword
        fi
        if [[ $name == membership ]]; then
            export Email__PublicBaseUrl Email__MailboxPath="$PANEL_LOCAL_DIR/mailbox"
            Email__PublicBaseUrl="$(local_url gateway)"
        fi
        exec dotnet "$dll" --contentRoot "$dir"
    ) </dev/null >"$log" 2>&1 &
    STARTED[$name]=$!
    echo "${STARTED[$name]}" >"$RUN_DIR/$name.pid"
    say "started $name (pid ${STARTED[$name]}) on $(bind_url "$name"), log $log"
}

wait_healthy() {
    local name=$1 url pid="${STARTED[$1]}" code deadline
    url="$(local_url "$name")/health"
    deadline=$((SECONDS + HEALTH_TIMEOUT))
    while :; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" 2>/dev/null || true)"
        if [[ "$code" == 200 ]]; then
            say "$name is healthy ($url)"
            return 0
        fi
        if ! pid_running "$pid"; then
            say "$name exited during start-up; the end of $LOG_DIR/$name.log:" >&2
            tail -n 40 "$LOG_DIR/$name.log" >&2 || true
            return 1
        fi
        if ((SECONDS >= deadline)); then
            say "$name did not answer $url with 200 within ${HEALTH_TIMEOUT}s (last: ${code:-none}); the end of $LOG_DIR/$name.log:" >&2
            tail -n 40 "$LOG_DIR/$name.log" >&2 || true
            return 1
        fi
        sleep 1
    done
}

# PANEL_DB_SUFFIX: every process gets databases of its own names (created by its migrations at start).
apply_db_suffix() {
    local suffix="${PANEL_DB_SUFFIX:-}" db var
    [[ -n "$suffix" ]] || return 0
    [[ "$suffix" =~ ^_[a-z0-9_]{1,20}$ ]] || panel_die "PANEL_DB_SUFFIX must be '_' and up to 20 of a-z, 0-9, _ (e.g. _bench)"
    for db in "${PANEL_DATABASES[@]}"; do
        var="ConnectionStrings__$db"
        export "$var=${!var/;Database=$db;/;Database=$db$suffix;}"
    done
    say "databases: ${PANEL_DATABASES[*]/%/$suffix} (PANEL_DB_SUFFIX)"
}

# --demo: generated members written into Membership with their events (tests/Panel.Load demo), and the
# population reference uploaded through the gateway as the administrator. Idempotent; a failure is
# reported and Panel keeps running.
seed_demo() {
    local base=$1 log="$LOG_DIR/demo.log"
    say ""
    say "Demo data (log $log):"
    if PANEL_STAFF_EMAIL="$ADMIN_EMAIL" PANEL_STAFF_PASSWORD="$Bootstrap__AdminPassword" \
        dotnet "$REPO/tests/Panel.Load/bin/Release/net10.0/Panel.Load.dll" demo --gateway "$base" </dev/null 2>&1 | tee "$log"; then
        return 0
    fi
    say "demo data could not be added (see $log); Panel runs without it" >&2
}

main() {
    local arg
    for arg in "$@"; do
        case "$arg" in
            stop)
                stop_all
                return 0
                ;;
            --demo) DEMO=1 ;;
            -h | --help)
                sed -n '2,13p' "$0"
                return 0
                ;;
            *)
                echo "usage: $0 [--demo] | $0 stop" >&2
                return 2
                ;;
        esac
    done

    panel__require_root
    panel__dirs
    if pidfile_alive "$RUN_DIR/run.pid" run.sh; then
        panel_die "Panel is already running (./run.sh pid $(cat "$RUN_DIR/run.pid")); stop it with ./run.sh stop"
    fi

    panel_install_packages
    panel_start_servers
    panel_gateway_keys
    panel_export_env
    apply_db_suffix
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
    export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
    ADMIN_EMAIL="${PANEL_ADMIN_EMAIL:-admin@panel.local}"
    admin_password_note

    [[ -f "$REPO/Panel.Ci.slnf" ]] || panel_die "$REPO/Panel.Ci.slnf not found"
    (cd "$REPO" && dotnet build Panel.Ci.slnf -c Release -nologo)

    echo $$ >"$RUN_DIR/run.pid"
    trap 'cleanup; exit 130' INT
    trap 'cleanup; exit 143' TERM
    trap 'cleanup; exit 129' HUP
    trap cleanup EXIT

    local name
    for name in membership surveys feedback reporting; do
        start_proc "$name"
    done
    for name in membership surveys feedback reporting; do
        wait_healthy "$name" || exit 1
    done
    start_proc gateway
    wait_healthy gateway || exit 1

    local base
    base="$(local_url gateway)"
    if [[ $DEMO == 1 ]]; then
        seed_demo "$base"
    fi
    say ""
    say "Panel is running."
    say "  Open:           $base/"
    say "  Staff sign-in:  $base/staff/sign-in"
    say "  Administrator:  $ADMIN_EMAIL (password $ADMIN_PASSWORD_WHERE)"
    say "  API reference:  $base/scalar"
    say "  Logs:           $LOG_DIR/"
    say "Press Ctrl-C to stop everything (PostgreSQL and RabbitMQ keep running; ./run.sh stop stops them too)."

    local pid
    while :; do
        wait -n "${STARTED[@]}" 2>/dev/null || true
        for name in "${PROCS[@]}"; do
            pid="${STARTED[$name]:-}"
            if [[ -n "$pid" ]] && ! pid_running "$pid"; then
                say "$name (pid $pid) exited; the end of $LOG_DIR/$name.log:" >&2
                tail -n 40 "$LOG_DIR/$name.log" >&2 || true
                exit 1
            fi
        done
    done
}

main "$@"
