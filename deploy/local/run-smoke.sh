#!/usr/bin/env bash
# Smoke test of the README's first command: ./run.sh as a newcomer runs it. Called by test.sh;
# runnable alone (servers started or not: run.sh starts them). Exits 0 when it passed.
#   deploy/local/run-smoke.sh          ./run.sh: health, join page, a join, the dashboard, Ctrl-C leaves no process
#   deploy/local/run-smoke.sh --demo   ./run.sh --demo twice on databases of its own (dropped afterwards):
#                                      the demo members are counted by Reporting, the second run adds none
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
PANEL_LOCAL_DIR="${PANEL_LOCAL_DIR:-$REPO/.local}"
mkdir -p "$PANEL_LOCAL_DIR/logs"

# Pids of Panel's processes (the AppHost, the five projects as `dotnet run` and as themselves) and of Aspire's
# orchestrator (dcp) and dashboard, one per line, sorted.
panel_pids() {
    pgrep -f 'Panel\.(AppHost|Membership|Surveys|Feedback|Reporting|Gateway)|/dcp |Aspire\.Dashboard' | sort || true
}

# Fails if a process of panel_pids is running that was not running before ./run.sh started ($1: the list then).
no_process_left() {
    local before=$1 left pid
    left="$(comm -13 <(printf '%s\n' "$before") <(panel_pids))"
    [[ -z "$left" ]] && return 0
    echo "run.sh smoke test FAILED: still running after Ctrl-C:"
    for pid in $left; do
        printf '  %s %s\n' "$pid" "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | cut -c1-160)"
    done
    return 1
}

# ./run.sh in the background on spare ports; succeeds when the AppHost brings all five processes up healthy (the
# gateway waits for the four services), the gateway serves the join page and takes a join, the dashboard's login
# address is printed and answers, and Ctrl-C stops every process it started.
panel_run_smoke() {
    local log="$PANEL_LOCAL_DIR/logs/run-smoke.log" port=18080 pid i ok=1 before
    before="$(panel_pids)"
    echo "run.sh smoke test: starting ./run.sh (gateway on port $port), log $log"
    # Job control on: a background job of a script otherwise ignores SIGINT, and Ctrl-C is what is tested.
    set -m
    PANEL_PORT=$port PANEL_ADMIN_PASSWORD="Smoke-Test-Passw0rd!" ./run.sh >"$log" 2>&1 &
    pid=$!
    set +m
    for ((i = 0; i < 300; i++)); do
        grep -q "Panel is running" "$log" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    if ! grep -q "Panel is running" "$log"; then
        echo "run.sh smoke test FAILED: Panel did not come up"; tail -n 30 "$log"; ok=0
    else
        local base="http://127.0.0.1:$port" email="smoke-$RANDOM$RANDOM@example.fi"
        curl -fsS "$base/health" >/dev/null || { echo "run.sh smoke test FAILED: gateway /health"; ok=0; }
        # Read the page whole first: grep -q would close the pipe early, and curl's SIGPIPE fails the pipeline.
        local page
        page=$(curl -fsS "$base/join") || page=""
        [[ "$page" == *'name="Form.Email"'* ]] || { echo "run.sh smoke test FAILED: join page"; ok=0; }
        local code
        code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
            -d "{\"email\":\"$email\",\"birthYear\":1980,\"municipality\":\"Tampere\",\"language\":\"fi\",\"consent\":true}" \
            "$base/api/membership/members")
        [[ "$code" == 202 ]] || { echo "run.sh smoke test FAILED: join through the gateway answered $code"; ok=0; }
        local login
        login="$(grep -oE 'log in with this address, valid while this run lasts: http://[^ ]+' "$log" | sed 's/.*: //')"
        if [[ -z "$login" ]]; then
            echo "run.sh smoke test FAILED: no dashboard login address printed"; ok=0
        else
            code=$(curl -s -o /dev/null -w '%{http_code}' "$login")
            [[ "$code" =~ ^(200|302)$ ]] || { echo "run.sh smoke test FAILED: the dashboard's login address answered $code"; ok=0; }
        fi
    fi
    kill -INT "$pid" 2>/dev/null || true
    for ((i = 0; i < 90; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "run.sh smoke test FAILED: run.sh did not stop on Ctrl-C"; kill -KILL "$pid"; ok=0
    fi
    no_process_left "$before" || ok=0
    if curl -s -o /dev/null "http://127.0.0.1:$port/alive"; then
        echo "run.sh smoke test FAILED: the gateway still answers on port $port after Ctrl-C"; ok=0
    fi
    if [[ $ok == 1 ]]; then echo "run.sh smoke test passed"; return 0; fi
    return 1
}

# Starts ./run.sh with the given arguments in the background on $SMOKE_PORT; sets SMOKE_PID. Returns 1 if
# it did not print "Panel is running" in time.
smoke_start() {
    local log=$1 i
    shift
    SMOKE_BEFORE="$(panel_pids)"
    set -m
    PANEL_PORT=$SMOKE_PORT PANEL_ADMIN_PASSWORD="Smoke-Test-Passw0rd!" ./run.sh "$@" >"$log" 2>&1 &
    SMOKE_PID=$!
    set +m
    for ((i = 0; i < 600; i++)); do
        grep -q "Panel is running" "$log" && return 0
        kill -0 "$SMOKE_PID" 2>/dev/null || break
        sleep 1
    done
    grep -q "Panel is running" "$log"
}

# Ctrl-C to ./run.sh; returns 1 if it or one of its processes is still there afterwards.
smoke_stop() {
    local i ok=0
    kill -INT "$SMOKE_PID" 2>/dev/null || true
    for ((i = 0; i < 90; i++)); do kill -0 "$SMOKE_PID" 2>/dev/null || break; sleep 1; done
    if kill -0 "$SMOKE_PID" 2>/dev/null; then
        echo "run.sh smoke test FAILED: run.sh did not stop on Ctrl-C"; kill -KILL "$SMOKE_PID"; ok=1
    fi
    no_process_left "$SMOKE_BEFORE" || ok=1
    if curl -s -o /dev/null "http://127.0.0.1:$SMOKE_PORT/alive"; then
        echo "run.sh smoke test FAILED: the gateway still answers on port $SMOKE_PORT after Ctrl-C"; ok=1
    fi
    return $ok
}

# ./run.sh --demo on databases of its own (PANEL_DB_SUFFIX), twice: the first run seeds the demo members
# and Reporting counts them through the outbox and RabbitMQ; the second run adds none.
panel_run_demo_smoke() {
    local log1="$PANEL_LOCAL_DIR/logs/run-smoke-demo-1.log" log2="$PANEL_LOCAL_DIR/logs/run-smoke-demo-2.log" ok=1
    export PANEL_DB_SUFFIX=_smokedemo
    SMOKE_PORT=18080
    smoke_drop_databases || true
    echo "run.sh --demo smoke test: first ./run.sh --demo (gateway on port $SMOKE_PORT, databases *$PANEL_DB_SUFFIX), log $log1"
    if ! smoke_start "$log1" --demo; then
        echo "run.sh --demo smoke test FAILED: Panel did not come up"; tail -n 30 "$log1"; ok=0
    else
        grep -q "demo: Reporting counted the 2,000 demo members" "$log1" ||
            { echo "run.sh --demo smoke test FAILED: Reporting did not count the demo members"; grep "demo" "$log1" | tail -n 20; ok=0; }
        ! grep -q "FAILED" "$log1" || { echo "run.sh --demo smoke test FAILED:"; grep "FAILED" "$log1"; ok=0; }
        grep -q "demo: staff sign-in" "$log1" || { echo "run.sh --demo smoke test FAILED: no staff sign-in printed"; ok=0; }
    fi
    smoke_stop || ok=0
    if [[ $ok == 1 ]]; then
        echo "run.sh --demo smoke test: second ./run.sh --demo, log $log2"
        if ! smoke_start "$log2" --demo; then
            echo "run.sh --demo smoke test FAILED: Panel did not come up the second time"; tail -n 30 "$log2"; ok=0
        else
            grep -q "demo: Membership already has 2,000 demo members" "$log2" ||
                { echo "run.sh --demo smoke test FAILED: the second run did not leave the demo data as it was"; grep "demo" "$log2" | tail -n 20; ok=0; }
            if grep -q "population reference of .* uploaded" "$log1"; then
                grep -q "already has a population reference" "$log2" ||
                    { echo "run.sh --demo smoke test FAILED: the second run uploaded the population reference again"; ok=0; }
            fi
        fi
        smoke_stop || ok=0
    fi
    smoke_drop_databases || echo "note: could not drop the *$PANEL_DB_SUFFIX databases"
    if [[ $ok == 1 ]]; then echo "run.sh --demo smoke test passed"; return 0; fi
    return 1
}

smoke_drop_databases() {
    (
        # shellcheck source=deploy/local/servers.sh
        source "$REPO/deploy/local/servers.sh"
        panel_start_servers >/dev/null 2>&1
        panel_export_env
        local db
        for db in "${PANEL_DATABASES[@]}"; do
            PGOPTIONS="--client-min-messages=warning" PGPASSWORD="$(panel__secret pg-password)" psql -h 127.0.0.1 -p "$PANEL_PG_PORT" -U panel -d postgres -X -q \
                -c "DROP DATABASE IF EXISTS \"$db$PANEL_DB_SUFFIX\" WITH (FORCE)" >/dev/null
        done
    )
}

case "${1:-}" in
    --demo) panel_run_demo_smoke ;;
    "") panel_run_smoke ;;
    *) echo "usage: $0 [--demo]" >&2; exit 2 ;;
esac
