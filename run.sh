#!/usr/bin/env bash
# Runs Panel on this machine without Docker (Debian/Ubuntu, as root):
#   ./run.sh           install PostgreSQL/RabbitMQ/Chromium if missing, start them, build, start Panel
#                      through its Aspire AppHost (the four services, the gateway and the dashboard),
#                      wait in the foreground (Ctrl-C stops everything it started)
#   ./run.sh --demo    the same, and once healthy: ~2 000 generated demo members with history and
#                      campaigns (if Membership has none yet) and the county's population reference
#   ./run.sh stop      stop everything ./run.sh started, PostgreSQL and RabbitMQ included
#
# Environment: PANEL_PORT (8080), PANEL_HOST (127.0.0.1), PANEL_ADMIN_EMAIL, PANEL_ADMIN_PASSWORD,
# PANEL_DASHBOARD_PORT (15170), PANEL_OTLP_PORT (19170), PANEL_RESOURCE_SERVICE_PORT (20170),
# PANEL_STOP_SERVERS=1 (also stop PostgreSQL and RabbitMQ on Ctrl-C), PANEL_LOCAL_DIR (.local),
# PANEL_PG_PORT (55432), PANEL_RABBIT_PORT (5672), PANEL_DB_SUFFIX (e.g. _bench: databases
# membershipdb_bench, ... of their own, created at start; for benchmarks and throwaway demos).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PANEL_REPO_ROOT="$REPO"
# shellcheck source=deploy/local/servers.sh
source "$REPO/deploy/local/servers.sh"

# The five processes' executables, as the AppHost starts them (dotnet run --no-build; the apphost under bin/Release).
PROC_PATHS=(
    services/Membership/Panel.Membership/bin/Release/net10.0/Panel.Membership
    services/Surveys/Panel.Surveys/bin/Release/net10.0/Panel.Surveys
    services/Feedback/Panel.Feedback/bin/Release/net10.0/Panel.Feedback
    services/Reporting/Panel.Reporting/bin/Release/net10.0/Panel.Reporting
    gateway/Panel.Gateway/bin/Release/net10.0/Panel.Gateway
)
APPHOST_DLL="$REPO/AppHost/bin/Release/net10.0/Panel.AppHost.dll"
PANEL_PORT="${PANEL_PORT:-8080}"
PANEL_HOST="${PANEL_HOST:-127.0.0.1}"
PANEL_DASHBOARD_PORT="${PANEL_DASHBOARD_PORT:-15170}"
PANEL_OTLP_PORT="${PANEL_OTLP_PORT:-19170}"
PANEL_RESOURCE_SERVICE_PORT="${PANEL_RESOURCE_SERVICE_PORT:-20170}"
RUN_DIR="$PANEL_LOCAL_DIR/run"
LOG_DIR="$PANEL_LOCAL_DIR/logs"
APPHOST_LOG="$LOG_DIR/apphost.log"
HEALTH_TIMEOUT=180
DEMO=0
APPHOST_PID=""

say() { printf '%s\n' "$*"; }

# The gateway's address from this machine.
local_url() {
    local host=127.0.0.1
    case "$PANEL_HOST" in
        0.0.0.0 | '*' | + | '[::]' | ::) ;;
        *) host="$PANEL_HOST" ;;
    esac
    printf 'http://%s:%s' "$host" "$PANEL_PORT"
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

# Pids of what an AppHost (pid $1) started: its orchestrator (the dcp processes, each watching the AppHost or
# another dcp process: `--monitor PID`; when that one is gone, a dcp process is still stopping what it started)
# and the processes of this checkout's five projects.
panel_children() {
    local apphost=$1 pid cmd path added
    local -A cmds=() found=()
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        [[ $pid == "$$" ]] && continue
        cmd="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || continue
        [[ -n "$cmd" ]] && cmds[$pid]="$cmd"
    done
    [[ -n "$apphost" ]] && found[$apphost]=apphost
    added=1
    while ((added)); do
        added=0
        for pid in "${!cmds[@]}"; do
            [[ -n "${found[$pid]:-}" ]] && continue
            # (a dcp process whose watched process is gone, or is a zombie, is still stopping what it started)
            [[ "${cmds[$pid]}" =~ /dcp\ .*--monitor\ ([0-9]+) ]] || continue
            if [[ -n "${found[${BASH_REMATCH[1]}]:-}" ]] || ! pid_running "${BASH_REMATCH[1]}"; then
                found[$pid]=dcp
                added=1
            fi
        done
    done
    for pid in "${!cmds[@]}"; do
        for path in "${PROC_PATHS[@]}"; do
            if [[ "${cmds[$pid]}" == "$REPO/$path "* || "${cmds[$pid]}" == *" --project $REPO/${path%%/bin/*}/"* ]]; then
                found[$pid]=project
                break
            fi
        done
    done
    for pid in "${!found[@]}"; do
        [[ "$pid" == "$apphost" ]] || echo "$pid"
    done
}

# Sends TERM and waits up to $2 seconds for the process to end; fails if it is still there.
term_and_wait() {
    local pid=$1 seconds=$2 i
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < seconds * 2; i++)); do
        pid_running "$pid" || return 0
        sleep 0.5
    done
    ! pid_running "$pid"
}

# Stops the AppHost (TERM: it stops the five processes and the dashboard through its orchestrator), then waits
# until nothing it started is left; what is still there after 60 s is killed.
stop_apphost() {
    local pid=$1 i left
    if pid_running "$pid"; then
        say "stopping the AppHost (pid $pid) and the processes it started"
        term_and_wait "$pid" 30 || kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    # The orchestrator sees its AppHost gone and stops what it started (about 20 s).
    for ((i = 0; i < 120; i++)); do
        left="$(panel_children "$pid")"
        [[ -z "$left" ]] && return 0
        sleep 0.5
    done
    say "still running after 60 s, killed: $(echo $left)" >&2
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
}

cleanup() {
    trap - INT TERM HUP EXIT
    if [[ -n "$APPHOST_PID" ]]; then
        stop_apphost "$APPHOST_PID"
        APPHOST_PID=""
    fi
    rm -f "$RUN_DIR/run.pid" "$RUN_DIR/apphost.pid"
    if [[ "${PANEL_STOP_SERVERS:-0}" == 1 ]]; then
        panel_stop_servers
    fi
}

stop_all() {
    local pid
    # A ./run.sh in the foreground stops its own processes on TERM.
    if pidfile_alive "$RUN_DIR/run.pid" run.sh; then
        pid="$(cat "$RUN_DIR/run.pid")"
        say "stopping ./run.sh (pid $pid)"
        term_and_wait "$pid" 120 || true
    fi
    if pidfile_alive "$RUN_DIR/apphost.pid" Panel.AppHost.dll; then
        stop_apphost "$(cat "$RUN_DIR/apphost.pid")"
    elif [[ -n "$(panel_children "")" ]]; then
        stop_apphost 0
    fi
    rm -f "$RUN_DIR/run.pid" "$RUN_DIR/apphost.pid"
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

# The AppHost on the servers of deploy/local/servers.sh (Panel:Servers=existing), with the dashboard on fixed
# ports. It gives each process only its own settings; what it reads here it removes from its environment before
# it starts anything.
start_apphost() {
    local port
    [[ -f "$APPHOST_DLL" ]] || panel_die "$APPHOST_DLL not found (did the build succeed?)"
    for port in "$PANEL_PORT" "$PANEL_DASHBOARD_PORT" "$PANEL_OTLP_PORT" "$PANEL_RESOURCE_SERVICE_PORT"; do
        if panel__port_open "$port"; then
            panel_die "port $port is already in use (another ./run.sh? try ./run.sh stop)"
        fi
    done
    (
        cd "$REPO/AppHost"
        unset PANEL_TEST_POSTGRES PANEL_TEST_RABBITMQ PANEL_TEST_RABBITMQ_PASSWORD PANEL_TEST_RABBITMQ_USER PANEL_TEST_RABBITMQ_MANAGEMENT
        export Panel__Servers=existing Panel__GatewayPort="$PANEL_PORT" Panel__GatewayHost="$PANEL_HOST"
        export Panel__MailboxPath="$PANEL_LOCAL_DIR/mailbox" Bootstrap__AdminEmail="$ADMIN_EMAIL"
        # The dashboard (the AppHost's own web server), its OTLP receiver and resource service; plain http on this machine.
        export DOTNET_ENVIRONMENT="$ASPNETCORE_ENVIRONMENT" ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
        export ASPNETCORE_URLS="http://localhost:$PANEL_DASHBOARD_PORT"
        export ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://localhost:$PANEL_OTLP_PORT"
        export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://localhost:$PANEL_RESOURCE_SERVICE_PORT"
        exec dotnet "$APPHOST_DLL"
    ) </dev/null >"$APPHOST_LOG" 2>&1 &
    APPHOST_PID=$!
    echo "$APPHOST_PID" >"$RUN_DIR/apphost.pid"
    say "started the AppHost (pid $APPHOST_PID), log $APPHOST_LOG"
}

# Waits for the gateway's health: the AppHost starts it once the four services are healthy.
wait_healthy() {
    local url code deadline
    url="$(local_url)/health"
    deadline=$((SECONDS + HEALTH_TIMEOUT))
    while :; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" 2>/dev/null || true)"
        if [[ "$code" == 200 ]]; then
            say "Panel is healthy ($url)"
            return 0
        fi
        if ! pid_running "$APPHOST_PID"; then
            say "the AppHost exited during start-up; the end of $APPHOST_LOG:" >&2
            tail -n 40 "$APPHOST_LOG" >&2 || true
            return 1
        fi
        if ((SECONDS >= deadline)); then
            say "the gateway did not answer $url with 200 within ${HEALTH_TIMEOUT}s (last: ${code:-none})." >&2
            say "Each process's console log is in the dashboard: $(dashboard_login)" >&2
            tail -n 40 "$APPHOST_LOG" >&2 || true
            return 1
        fi
        sleep 1
    done
}

# The dashboard's one-time login address, as the AppHost printed it.
dashboard_login() {
    grep -oE 'Login to the dashboard at [^ ]+' "$APPHOST_LOG" 2>/dev/null | tail -n 1 | sed 's/^Login to the dashboard at //'
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
                sed -n '2,15p' "$0"
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

    start_apphost
    wait_healthy || exit 1

    local base login
    base="$(local_url)"
    login="$(dashboard_login)"
    if [[ $DEMO == 1 ]]; then
        seed_demo "$base"
    fi
    say ""
    say "Panel is running."
    say "  Open:           $base/"
    say "  Staff sign-in:  $base/staff/sign-in"
    say "  Administrator:  $ADMIN_EMAIL (password $ADMIN_PASSWORD_WHERE)"
    say "  API reference:  $base/scalar"
    say "  Dashboard:      http://localhost:$PANEL_DASHBOARD_PORT (resources, console and structured logs, traces, metrics)"
    say "                  log in with this address, valid while this run lasts: ${login:-see $APPHOST_LOG}"
    say "  AppHost log:    $APPHOST_LOG"
    say "Press Ctrl-C to stop everything (PostgreSQL and RabbitMQ keep running; ./run.sh stop stops them too)."

    while :; do
        wait "$APPHOST_PID" 2>/dev/null || true
        if ! pid_running "$APPHOST_PID"; then
            say "the AppHost (pid $APPHOST_PID) exited; the end of $APPHOST_LOG:" >&2
            tail -n 40 "$APPHOST_LOG" >&2 || true
            exit 1
        fi
    done
}

main "$@"
