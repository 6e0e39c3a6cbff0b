#!/usr/bin/env bash
# Builds and tests Panel without Docker (Debian/Ubuntu, as root); this is what CI runs.
#   ./test.sh                        everything in Panel.Ci.slnf
#   ./test.sh --filter 'FullyQualifiedName~Membership'   extra arguments go to dotnet test
# Installs PostgreSQL, RabbitMQ and Chromium if missing, starts (or reuses) the servers from
# deploy/local/servers.sh, builds, runs the tests, and ends with the line
#   Tests: N passed, N failed, N skipped
# Exits non-zero if the build or dotnet test fails, a test fails, or no test ran.
# PANEL_TEST_HANG_TIMEOUT (default 20m; empty disables) ends a test host stuck on one test.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PANEL_REPO_ROOT="$REPO"
# shellcheck source=deploy/local/servers.sh
source "$REPO/deploy/local/servers.sh"
cd "$REPO"

panel_install_packages
panel_start_servers
panel_export_env
panel_gateway_keys

# The tests copy their databases from migrated templates (tests/Panel.TestSupport/DatabaseTemplates.cs), one per
# version of a service's migrations; old ones go.
panel__pg "$PANEL_PG_BIN/psql" -h "$PANEL_PG_SOCKET" -p "$PANEL_PG_PORT" -U postgres -d postgres -X -q -A -t \
    <tests/drop-old-templates.sql >/dev/null || echo "test.sh: could not drop old test database templates" >&2

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [[ -z "${PLAYWRIGHT_CHROMIUM_EXECUTABLE:-}" ]]; then
    PLAYWRIGHT_CHROMIUM_EXECUTABLE="$(command -v chromium || echo /usr/bin/chromium)"
fi
export PLAYWRIGHT_CHROMIUM_EXECUTABLE

[[ -f Panel.Ci.slnf ]] || panel_die "$REPO/Panel.Ci.slnf not found"
dotnet build Panel.Ci.slnf -c Release -nologo

# The build writes each service's OpenAPI document to docs/openapi; an API change goes in with its document
# (stage it: git add docs/openapi), so that the change shows in review and the gateway's client follows it.
if git rev-parse --git-dir >/dev/null 2>&1; then
    changed="$(git diff --name-only -- docs/openapi; git ls-files --others --exclude-standard -- docs/openapi)"
    if [[ -n "$changed" ]]; then
        echo "The build changed the services' OpenAPI documents; commit (or stage) them with the API change:" >&2
        echo "$changed" >&2
        git --no-pager diff --stat -- docs/openapi >&2
        exit 1
    fi
fi

results="$PANEL_LOCAL_DIR/test-results"
rm -rf "$results"
mkdir -p "$results"

hang=()
if [[ -n "${PANEL_TEST_HANG_TIMEOUT-20m}" ]]; then
    hang=(--blame-hang-timeout "${PANEL_TEST_HANG_TIMEOUT-20m}" --blame-hang-dump-type none)
fi

test_rc=0
# The test projects of Panel.Ci.slnf, in its order.
mapfile -t projects < <(python3 -c 'import json,sys; [print(p.replace("\\", "/")) for p in json.load(open(sys.argv[1]))["solution"]["projects"] if p.startswith("tests") and p.endswith("Tests.csproj")]' Panel.Ci.slnf)
run_project() {
    dotnet test "$1" -c Release --no-build \
        --logger "trx;LogFileName=$(basename "$1" .csproj).trx" --results-directory "$results" \
        --logger "console;verbosity=normal" \
        "${hang[@]}" "${@:2}"
}
# Three phases, so that the end-to-end tests (half of the time, mostly waiting on browsers and clocks) run beside the
# others: first the messaging tests alone (their delivery tests stop and start the shared RabbitMQ, which must not
# happen under another project's feet); then the end-to-end tests in the background, their output kept in a file and
# shown when they end, while the other projects run one after another in the foreground.
e2e=""
for project in "${projects[@]}"; do
    case "$project" in
        *Panel.Messaging.Tests*) run_project "$project" "$@" || test_rc=$? ;;
        *Panel.EndToEnd.Tests*) e2e="$project" ;;
    esac
done
e2e_pid=""
if [[ -n "$e2e" ]]; then
    run_project "$e2e" "$@" >"$results/end-to-end.log" 2>&1 &
    e2e_pid=$!
fi
for project in "${projects[@]}"; do
    case "$project" in
        *Panel.Messaging.Tests* | *Panel.EndToEnd.Tests*) ;;
        *) run_project "$project" "$@" || test_rc=$? ;;
    esac
done
if [[ -n "$e2e_pid" ]]; then
    e2e_rc=0
    wait "$e2e_pid" || e2e_rc=$?
    echo "--- $e2e (ran beside the others):"
    cat "$results/end-to-end.log"
    [[ $e2e_rc -eq 0 ]] || test_rc=$e2e_rc
fi

# Per test project counts from the .trx files; the last line is "TOTALS passed failed skipped".
summary="$(python3 - "$results" <<'PY'
import os, sys
from datetime import datetime
import xml.etree.ElementTree as ET

ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
projects = {}
failures = []
details = []
durations = {}
slowest = []

def seconds(text):
    # a test's duration, "hh:mm:ss.fffffff"
    try:
        h, m, sec = text.split(":")
        return int(h) * 3600 + int(m) * 60 + float(sec)
    except (AttributeError, ValueError):
        return 0.0

def moment(text):
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
for root, _, files in os.walk(sys.argv[1]):
    for f in sorted(files):
        if not f.endswith(".trx"):
            continue
        path = os.path.join(root, f)
        try:
            tree = ET.parse(path).getroot()
        except ET.ParseError as e:
            print(f"  (could not read {path}: {e})")
            continue
        name = None
        # the test assembly's path (TestMethod keeps its case; UnitTest's storage is lower-cased)
        for tm in tree.iter(ns + "TestMethod"):
            code_base = tm.get("codeBase")
            if code_base:
                name = os.path.basename(code_base)
                if name.lower().endswith(".dll"):
                    name = name[:-4]
                break
        if name is None:
            name = f"{os.path.splitext(f)[0]} (no tests)"
        c = tree.find(f"{ns}ResultSummary/{ns}Counters")
        a = c.attrib if c is not None else {}
        n = lambda k: int(a.get(k, "0") or 0)
        total = n("total")
        passed = n("passed")
        failed = n("failed") + n("error") + n("timeout") + n("aborted")
        skipped = max(total - passed - failed, 0)
        p = projects.setdefault(name, [0, 0, 0])
        p[0] += passed; p[1] += failed; p[2] += skipped
        times = tree.find(f"{ns}Times")
        if times is not None:
            start, finish = moment(times.get("start")), moment(times.get("finish"))
            if start and finish:
                durations[name] = durations.get(name, 0.0) + (finish - start).total_seconds()
        for r in tree.iter(ns + "UnitTestResult"):
            slowest.append((seconds(r.get("duration")), f"{name}: {r.get('testName')}"))
            if r.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
                failures.append(f"{name}: {r.get('testName')}")
                text = lambda tag: "\n".join(e.text or "" for e in r.iter(ns + tag))
                details.append((f"{name}: {r.get('testName')}", text("Message"), text("StackTrace"), text("StdOut")))

width = max([len(k) for k in projects] + [10])
for name in sorted(projects):
    p = projects[name]
    took = f"  {durations[name] / 60:5.1f} min" if name in durations else ""
    print(f"  {name:<{width}}  {p[0]} passed, {p[1]} failed, {p[2]} skipped{took}")
if slowest:
    print("The 15 slowest tests:")
    for took, test in sorted(slowest, reverse=True)[:15]:
        print(f"  {took:7.1f} s  {test[:160]}")
if failures:
    print("Failed tests:")
    for line in failures[:100]:
        print(f"  {line}")
    if len(failures) > 100:
        print(f"  ... and {len(failures) - 100} more")
# Why the first few failed, last in the output so that a log's tail shows it: the message, the top of the
# stack and the end of what the test wrote.
def tail(text, n):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-n:] if len(lines) > n else lines
for title, message, stack, out in details[:3]:
    print(f"--- {title}")
    for l in message.strip().splitlines()[:25]:
        print(f"  | {l}")
    for l in stack.strip().splitlines()[:8]:
        print(f"  | {l}")
    if out.strip():
        print("  | ... the test's output ends:")
        for l in tail(out, 30):
            print(f"  | {l[:300]}")
t = [sum(p[i] for p in projects.values()) for i in range(3)]
print(f"TOTALS {t[0]} {t[1]} {t[2]}")
PY
)" || summary="  (could not read the .trx files)"$'\n'"TOTALS 0 0 0"

echo
echo "Test results ($results):"
printf '%s\n' "$summary" | sed '$d'
read -r _ passed failed skipped <<<"$(printf '%s\n' "$summary" | tail -n 1)"

# The README's first command, as a newcomer runs it: start, use through the gateway, Ctrl-C.
# Skipped when a --filter (or other argument) narrows the run, and with PANEL_SKIP_RUN_SMOKE=1.
smoke_passed=0
smoke_failed=0
if [[ $# -eq 0 && "${PANEL_SKIP_RUN_SMOKE:-0}" != 1 ]]; then
    if deploy/local/run-smoke.sh; then smoke_passed=1; else smoke_failed=1; fi
fi
passed=$((passed + smoke_passed))
failed=$((failed + smoke_failed))

status=0
if [[ $test_rc -ne 0 ]]; then
    echo "dotnet test exited with code $test_rc"
    status=1
fi
if [[ $failed -ne 0 ]]; then
    status=1
fi
if [[ $((passed + failed + skipped)) -eq 0 || $((passed + failed)) -eq 0 ]]; then
    echo "No tests ran."
    status=1
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
