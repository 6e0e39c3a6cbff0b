#!/usr/bin/env bash
# Smoke test of the README's first command: ./run.sh as a newcomer runs it. Called by test.sh;
# runnable alone (servers started or not: run.sh starts them). Exits 0 when it passed.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
PANEL_LOCAL_DIR="${PANEL_LOCAL_DIR:-$REPO/.local}"
mkdir -p "$PANEL_LOCAL_DIR/logs"

# ./run.sh in the background on spare ports; succeeds when all five processes come up healthy,
# the gateway serves the join page and takes a join, and Ctrl-C stops every process it started.
panel_run_smoke() {
    local log="$PANEL_LOCAL_DIR/logs/run-smoke.log" port=18080 pid i ok=1
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
    fi
    kill -INT "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "run.sh smoke test FAILED: run.sh did not stop on Ctrl-C"; kill -KILL "$pid"; ok=0
    fi
    for port_in_use in 5081 5082 5083 5084 "$port"; do
        if curl -s -o /dev/null "http://127.0.0.1:$port_in_use/alive"; then
            echo "run.sh smoke test FAILED: a process still answers on port $port_in_use after Ctrl-C"; ok=0
        fi
    done
    if [[ $ok == 1 ]]; then echo "run.sh smoke test passed"; return 0; fi
    return 1
}


panel_run_smoke
