#!/usr/bin/env bash
# PostgreSQL and RabbitMQ for Panel without Docker (Debian/Ubuntu, run as root).
#
# Sourced by run.sh and test.sh; also runnable on its own:
#   deploy/local/servers.sh start|stop|status|env
# `env` prints `export ...` lines: eval "$(deploy/local/servers.sh env)".
#
# Everything lives under $PANEL_LOCAL_DIR (default <repo>/.local):
#   postgres/   own PostgreSQL cluster (owned by the postgres user), port $PANEL_PG_PORT
#   rabbitmq/   RabbitMQ data, logs, config and enabled plugins, port $PANEL_RABBIT_PORT
#   secrets/    generated passwords and the gateway's token signing key
#   logs/       logs of the servers and of the Panel processes
#
# RabbitMQ runs as root with the default node name (rabbit@<host>) and root's Erlang cookie;
# panel_export_env puts /usr/lib/rabbitmq/bin first on PATH so that `rabbitmqctl` talks to it
# directly (the /usr/sbin wrapper would switch to the rabbitmq user and its other cookie).
set -euo pipefail

PANEL_REPO_ROOT="${PANEL_REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
PANEL_LOCAL_DIR="${PANEL_LOCAL_DIR:-$PANEL_REPO_ROOT/.local}"
PANEL_PG_PORT="${PANEL_PG_PORT:-55432}"
PANEL_RABBIT_PORT="${PANEL_RABBIT_PORT:-5672}"
PANEL_RABBIT_MANAGEMENT_PORT="${PANEL_RABBIT_MANAGEMENT_PORT:-15672}"
PANEL_DATABASES=(membershipdb surveysdb feedbackdb reportingdb gatewaydb)
PANEL_PACKAGES=(postgresql rabbitmq-server chromium python3-aiosmtpd openssl curl)
PANEL_RABBIT_BIN="${PANEL_RABBIT_BIN:-/usr/lib/rabbitmq/bin}"
export PANEL_REPO_ROOT PANEL_LOCAL_DIR PANEL_PG_PORT PANEL_RABBIT_PORT

panel_log() { printf '[panel] %s\n' "$*" >&2; }
panel_die() { printf '[panel] ERROR: %s\n' "$*" >&2; return 1; }

panel__require_root() {
    if [[ $(id -u) -ne 0 ]]; then
        panel_die "this needs root (apt-get, runuser, the servers' data directories)"
    fi
}

# Creates the state directories. $PANEL_LOCAL_DIR must be traversable by the postgres user.
panel__dirs() {
    mkdir -p "$PANEL_LOCAL_DIR" "$PANEL_LOCAL_DIR/logs" "$PANEL_LOCAL_DIR/secrets" "$PANEL_LOCAL_DIR/run"
    chmod 755 "$PANEL_LOCAL_DIR"
    chmod 700 "$PANEL_LOCAL_DIR/secrets"
}

# Serialises start/stop between concurrent callers (several test runs on one machine).
# The lock descriptor is closed for every daemon started while it is held.
PANEL__LOCK_FD=""
panel__lock() {
    panel__dirs
    exec {PANEL__LOCK_FD}>"$PANEL_LOCAL_DIR/run/servers.lock"
    if command -v flock >/dev/null 2>&1; then
        flock -w 300 "$PANEL__LOCK_FD" || panel_die "timed out waiting for $PANEL_LOCAL_DIR/run/servers.lock"
    fi
}
panel__unlock() {
    if [[ -n "$PANEL__LOCK_FD" ]]; then
        exec {PANEL__LOCK_FD}>&-
        PANEL__LOCK_FD=""
    fi
}
# Runs a command with the lock descriptor (if any) closed.
panel__nolock() {
    if [[ -n "$PANEL__LOCK_FD" ]]; then
        "$@" {PANEL__LOCK_FD}>&-
    else
        "$@"
    fi
}

# Prints the content of a secret file, generating it (openssl rand -hex 16) on first use.
panel__secret() {
    local file="$PANEL_LOCAL_DIR/secrets/$1"
    if [[ ! -s "$file" ]]; then
        panel__dirs
        (umask 077 && openssl rand -hex 16 >"$file.tmp" && mv -f "$file.tmp" "$file")
    fi
    tr -d '\n' <"$file"
}

# ---------------------------------------------------------------------------------------------
# packages

panel__installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == ii* ]]
}

panel_install_packages() {
    local missing=() pkg
    for pkg in "${PANEL_PACKAGES[@]}"; do
        panel__installed "$pkg" || missing+=("$pkg")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    panel__require_root
    panel__dirs
    local log="$PANEL_LOCAL_DIR/logs/apt.log" policy_added=0 rc=0
    panel_log "installing ${missing[*]} (apt-get; log in $log)"
    # apt must not start the distribution's own services (a system RabbitMQ node would take
    # the default node name and port): the usual policy-rc.d trick, only if none exists.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        policy_added=1
    fi
    {
        DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1 &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$log" 2>&1
    } || rc=$?
    if [[ $policy_added -eq 1 ]]; then
        rm -f /usr/sbin/policy-rc.d
    fi
    if [[ $rc -ne 0 ]]; then
        tail -n 40 "$log" >&2
        panel_die "apt-get failed (exit $rc), see $log"
    fi
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

# Sets PANEL_PG_DATA, PANEL_PG_LOG, PANEL_PG_SOCKET and PANEL_PG_BIN.
panel__pg_paths() {
    local hash
    hash="$(printf '%s' "$PANEL_LOCAL_DIR" | sha256sum | cut -c1-12)"
    PANEL_PG_DATA="$PANEL_LOCAL_DIR/postgres"
    PANEL_PG_LOG="$PANEL_LOCAL_DIR/logs/postgres.log"
    # The postgres user must be able to reach the data directory and the log: a checkout under
    # /root (mode 700) is not reachable, so the cluster then lives under /var/lib/panel-local.
    if [[ $(id -u) -eq 0 ]] && id postgres >/dev/null 2>&1 &&
        ! (cd / && runuser -u postgres -- test -x "$PANEL_LOCAL_DIR") 2>/dev/null; then
        PANEL_PG_DATA="/var/lib/panel-local/$hash/postgres"
        PANEL_PG_LOG="/var/lib/panel-local/$hash/postgres.log"
    fi
    # Unix socket paths are limited to 107 bytes.
    PANEL_PG_SOCKET="$PANEL_PG_DATA"
    if [[ $((${#PANEL_PG_SOCKET} + 20)) -gt 100 ]]; then
        PANEL_PG_SOCKET="/tmp/panel-pg-$hash"
    fi
    local major=""
    if [[ -f "$PANEL_PG_DATA/PG_VERSION" ]]; then
        major="$(cat "$PANEL_PG_DATA/PG_VERSION")"
    elif [[ -d /usr/lib/postgresql ]]; then
        major="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' |
            sed 's#^/usr/lib/postgresql/\([^/]*\)/bin/initdb$#\1#' | sort -V | tail -n 1)"
    fi
    PANEL_PG_BIN="/usr/lib/postgresql/${major:-15}/bin"
}

panel__pg() {
    # As the postgres user, from a directory it can read (else: "could not change directory").
    (cd / && panel__nolock runuser -u postgres -- "$@")
}

panel__pg_running() {
    [[ -f "$PANEL_PG_DATA/PG_VERSION" ]] && panel__pg "$PANEL_PG_BIN/pg_ctl" -D "$PANEL_PG_DATA" status >/dev/null 2>&1
}

panel__port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

panel_start_postgres() {
    panel__require_root
    panel__dirs
    panel__pg_paths
    [[ -x "$PANEL_PG_BIN/initdb" ]] || panel_die "PostgreSQL server binaries not found in $PANEL_PG_BIN (apt-get install postgresql)"
    local log="$PANEL_PG_LOG" parent
    parent="$(dirname "$PANEL_PG_DATA")"
    if [[ "$parent" != "$PANEL_LOCAL_DIR" ]]; then
        install -d -m 755 "$(dirname "$parent")" "$parent"
        ln -sfn "$log" "$PANEL_LOCAL_DIR/logs/postgres.log"
        panel_log "note: the postgres user cannot reach $PANEL_LOCAL_DIR, so the cluster is in $PANEL_PG_DATA"
    fi
    touch "$log"
    chown postgres:postgres "$log"
    if [[ ! -f "$PANEL_PG_DATA/PG_VERSION" ]]; then
        panel_log "initialising PostgreSQL cluster in $PANEL_PG_DATA"
        rm -rf "$PANEL_PG_DATA"
        mkdir -p "$PANEL_PG_DATA"
        chown postgres:postgres "$PANEL_PG_DATA"
        chmod 700 "$PANEL_PG_DATA"
        panel__pg "$PANEL_PG_BIN/initdb" -D "$PANEL_PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=peer --auth-host=scram-sha-256 >>"$log" 2>&1 ||
            { tail -n 20 "$log" >&2; panel_die "initdb failed, see $log"; }
    fi
    if [[ "$PANEL_PG_SOCKET" != "$PANEL_PG_DATA" ]]; then
        mkdir -p "$PANEL_PG_SOCKET"
        chown postgres:postgres "$PANEL_PG_SOCKET"
        chmod 700 "$PANEL_PG_SOCKET"
    fi
    if panel__pg_running; then
        panel_log "PostgreSQL already running on 127.0.0.1:$PANEL_PG_PORT (reused)"
    else
        if panel__port_open "$PANEL_PG_PORT"; then
            panel_die "port $PANEL_PG_PORT is taken by another process (set PANEL_PG_PORT)"
        fi
        panel_log "starting PostgreSQL on 127.0.0.1:$PANEL_PG_PORT"
        panel__pg "$PANEL_PG_BIN/pg_ctl" -D "$PANEL_PG_DATA" -l "$log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PANEL_PG_PORT -k $PANEL_PG_SOCKET -c max_connections=300" \
            start </dev/null >/dev/null 2>&1 ||
            { tail -n 20 "$log" >&2; panel_die "PostgreSQL did not start, see $log"; }
    fi
    local i
    for ((i = 0; i < 60; i++)); do
        if "$PANEL_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PANEL_PG_PORT"; then
            break
        fi
        sleep 1
    done
    "$PANEL_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PANEL_PG_PORT" ||
        { tail -n 20 "$log" >&2; panel_die "PostgreSQL is not accepting connections, see $log"; }

    local pw db list=""
    pw="$(panel__secret pg-password)"
    for db in "${PANEL_DATABASES[@]}"; do
        list+="${list:+,}'$db'"
    done
    # The password is hex, so it can be embedded in the SQL; it goes through stdin, not argv.
    panel__pg "$PANEL_PG_BIN/psql" -h "$PANEL_PG_SOCKET" -p "$PANEL_PG_PORT" -U postgres -d postgres \
        -X -q -A -t -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT 'CREATE ROLE panel' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'panel') \gexec
ALTER ROLE panel WITH LOGIN SUPERUSER CREATEDB PASSWORD '$pw';
SELECT format('CREATE DATABASE %I OWNER panel', d)
  FROM unnest(ARRAY[$list]) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
SQL
}

panel_stop_postgres() {
    panel__pg_paths
    if panel__pg_running; then
        panel_log "stopping PostgreSQL"
        panel__pg "$PANEL_PG_BIN/pg_ctl" -D "$PANEL_PG_DATA" -m fast -w -t 60 stop >/dev/null
    fi
}

# ---------------------------------------------------------------------------------------------
# RabbitMQ

panel__rabbit_env() {
    local dir="$PANEL_LOCAL_DIR/rabbitmq"
    export RABBITMQ_MNESIA_BASE="$dir/mnesia"
    export RABBITMQ_LOG_BASE="$dir/log"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
    export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
    export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
    export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
    export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
    # the nodes' Erlang cookie is $HOME/.erlang.cookie
    export HOME="${HOME:-$(getent passwd "$(id -un)" | cut -d: -f6)}"
    case ":$PATH:" in
        *":$PANEL_RABBIT_BIN:"*) ;;
        *) export PATH="$PANEL_RABBIT_BIN:$PATH" ;;
    esac
}

panel__rabbit_running() {
    panel__nolock rabbitmqctl -q status >/dev/null 2>&1
}

panel_start_rabbitmq() {
    panel__require_root
    panel__dirs
    panel__rabbit_env
    [[ -x "$PANEL_RABBIT_BIN/rabbitmq-server" ]] || panel_die "RabbitMQ not found in $PANEL_RABBIT_BIN (apt-get install rabbitmq-server)"
    local dir="$PANEL_LOCAL_DIR/rabbitmq" log="$PANEL_LOCAL_DIR/logs/rabbitmq-startup.log"
    mkdir -p "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
    if panel__rabbit_running; then
        panel_log "RabbitMQ already running (reused)"
    else
        if panel__port_open "$PANEL_RABBIT_PORT"; then
            panel_die "port $PANEL_RABBIT_PORT is taken by another process (set PANEL_RABBIT_PORT)"
        fi
        cat >"$RABBITMQ_CONFIG_FILE" <<CONF
# written by deploy/local/servers.sh
listeners.tcp.local = 127.0.0.1:$PANEL_RABBIT_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $PANEL_RABBIT_MANAGEMENT_PORT
log.file.level = info
CONF
        printf '# written by deploy/local/servers.sh; the settings are in the environment\n' >"$RABBITMQ_CONF_ENV_FILE"
        rm -f "$RABBITMQ_PID_FILE"
        (cd / && rabbitmq-plugins -q enable --offline rabbitmq_management) >>"$log" 2>&1 ||
            { tail -n 20 "$log" >&2; panel_die "rabbitmq-plugins failed, see $log"; }
        panel_log "starting RabbitMQ on 127.0.0.1:$PANEL_RABBIT_PORT (management $PANEL_RABBIT_MANAGEMENT_PORT)"
        (cd / && panel__nolock rabbitmq-server -detached </dev/null >>"$log" 2>&1) ||
            { tail -n 20 "$log" >&2; panel_die "rabbitmq-server failed, see $log"; }
    fi
    local i ok=0
    for ((i = 0; i < 120; i++)); do
        # exits 69 until the node is reachable
        if panel__nolock rabbitmqctl -q await_startup >/dev/null 2>&1; then
            ok=1
            break
        fi
        # the node writes its pid file early; stop waiting if that process is gone
        if [[ -s "$RABBITMQ_PID_FILE" ]] && ! kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; then
            break
        fi
        sleep 1
    done
    if [[ $ok -ne 1 ]]; then
        tail -n 20 "$log" "$RABBITMQ_LOG_BASE"/*.log >&2 2>/dev/null || true
        panel_die "RabbitMQ did not start, see $log and $RABBITMQ_LOG_BASE"
    fi
    local pw rc=0
    pw="$(panel__secret rabbit-password)"
    panel__nolock rabbitmqctl -q add_user panel "$pw" >/dev/null 2>&1 || rc=$?
    case $rc in
        0) ;;
        70) panel__nolock rabbitmqctl -q change_password panel "$pw" >/dev/null ;;
        *) panel_die "rabbitmqctl add_user failed (exit $rc)" ;;
    esac
    panel__nolock rabbitmqctl -q set_user_tags panel administrator >/dev/null
    panel__nolock rabbitmqctl -q set_permissions -p / panel '.*' '.*' '.*' >/dev/null
}

panel_stop_rabbitmq() {
    panel__rabbit_env
    if panel__rabbit_running; then
        panel_log "stopping RabbitMQ"
        if [[ -s "$RABBITMQ_PID_FILE" ]]; then
            panel__nolock rabbitmqctl -q stop "$RABBITMQ_PID_FILE" >/dev/null
        else
            panel__nolock rabbitmqctl -q stop >/dev/null
        fi
    fi
    # refuses (harmlessly) while other Erlang nodes are registered
    epmd -kill >/dev/null 2>&1 || true
}

panel_stop_servers() {
    panel__require_root
    panel__lock
    panel_stop_postgres
    panel_stop_rabbitmq
    panel__unlock
}

panel_start_servers() {
    panel__require_root
    panel__lock
    panel_start_postgres
    panel_start_rabbitmq
    panel__unlock
}

# ---------------------------------------------------------------------------------------------
# environment for the Panel processes and the tests

panel_export_env() {
    panel__dirs
    panel__rabbit_env
    local pgpw rbpw db base
    pgpw="$(panel__secret pg-password)"
    rbpw="$(panel__secret rabbit-password)"
    base="Host=127.0.0.1;Port=$PANEL_PG_PORT;Username=panel;Password=$pgpw"
    for db in "${PANEL_DATABASES[@]}"; do
        export "ConnectionStrings__$db=Host=127.0.0.1;Port=$PANEL_PG_PORT;Database=$db;Username=panel;Password=$pgpw"
    done
    export ConnectionStrings__eventbus="amqp://panel:$rbpw@127.0.0.1:$PANEL_RABBIT_PORT/"
    export PANEL_TEST_POSTGRES="$base"
    export PANEL_TEST_RABBITMQ="amqp://panel:$rbpw@127.0.0.1:$PANEL_RABBIT_PORT"
    export PANEL_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:$PANEL_RABBIT_MANAGEMENT_PORT"
    export PANEL_TEST_RABBITMQ_USER=panel
    export PANEL_TEST_RABBITMQ_PASSWORD="$rbpw"
    export PANEL_RABBITMQCTL="$PANEL_RABBIT_BIN/rabbitmqctl"
    export MASSTRANSIT_USAGE_TELEMETRY=false
}

panel_gateway_keys() {
    panel__dirs
    local key="$PANEL_LOCAL_DIR/secrets/gateway-token.key" pub="$PANEL_LOCAL_DIR/secrets/gateway-token.pub"
    if [[ ! -s "$key" ]]; then
        (umask 077 &&
            openssl ecparam -name prime256v1 -genkey -noout |
            openssl pkcs8 -topk8 -nocrypt -out "$key.tmp" &&
            mv -f "$key.tmp" "$key")
        rm -f "$pub"
    fi
    if [[ ! -s "$pub" ]]; then
        openssl ec -in "$key" -pubout -out "$pub.tmp" 2>/dev/null
        mv -f "$pub.tmp" "$pub"
    fi
    GatewayToken__PrivateKey="$(cat "$key")"
    GatewayToken__PublicKey="$(cat "$pub")"
    export GatewayToken__PrivateKey GatewayToken__PublicKey
}

panel_servers_status() {
    panel__pg_paths
    panel__rabbit_env
    local rc=0
    if panel__pg_running; then
        echo "PostgreSQL: running on 127.0.0.1:$PANEL_PG_PORT (data $PANEL_PG_DATA)"
    else
        echo "PostgreSQL: stopped (data $PANEL_PG_DATA)"
        rc=1
    fi
    if panel__rabbit_running; then
        echo "RabbitMQ:   running on 127.0.0.1:$PANEL_RABBIT_PORT, management http://127.0.0.1:$PANEL_RABBIT_MANAGEMENT_PORT (data $RABBITMQ_MNESIA_BASE)"
    else
        echo "RabbitMQ:   stopped (data $RABBITMQ_MNESIA_BASE)"
        rc=1
    fi
    return $rc
}

panel__print_env() {
    local name
    for name in $(compgen -e | grep -E '^(ConnectionStrings__|PANEL_|RABBITMQ_|GatewayToken__|MASSTRANSIT_)' | sort) PATH HOME; do
        printf 'export %s=%q\n' "$name" "${!name}"
    done
}

panel_servers_main() {
    case "${1:-}" in
        start)
            panel_install_packages
            panel_start_servers
            panel_servers_status
            ;;
        stop) panel_stop_servers ;;
        status) panel_servers_status ;;
        env)
            panel_export_env
            panel_gateway_keys
            panel__print_env
            ;;
        *)
            echo "usage: $0 start|stop|status|env" >&2
            return 2
            ;;
    esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    panel_servers_main "$@"
fi
