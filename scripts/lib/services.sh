#!/usr/bin/env bash
# Shared helpers for scripts/run, scripts/test and the benchmarks: install the system
# packages LeadRelay needs and start private PostgreSQL / Redis servers on loopback.
# Source it; do not execute it.

# System packages the build, the local services and the tests need (Debian names; the CSV
# round-trip tests read our output with python3's csv module; the demo and e2e Google stand-in
# makes its service-account key with the openssl command).
LEADRELAY_APT_PACKAGES=(postgresql redis-server libhiredis-dev libjemalloc-dev libpq-dev libcurl4-openssl-dev pkg-config python3 openssl)

log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "need root to run: $* (install sudo or run as root)"; fi
}

# Installs whatever of LEADRELAY_APT_PACKAGES (plus extra arguments) is missing.
ensure_packages() {
    local missing=() pkg
    for pkg in "${LEADRELAY_APT_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing system packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts the packaged services; LeadRelay runs its own private ones instead.
    as_root service redis-server stop >/dev/null 2>&1 || true
}

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
    echo "$dir"
}

# PostgreSQL refuses to run as root; when we are root, its files belong to the 'postgres' user.
pg_run() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_postgres DATADIR PORT [fast]  — initdb on first use, then start on 127.0.0.1:PORT.
# "fast" turns off durability (fsync, synchronous_commit) for throw-away test clusters.
start_postgres() {
    local datadir=$1 port=$2 mode=${3:-durable} bindir
    bindir=$(pg_bindir)
    mkdir -p "$datadir"
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$datadir"
    if [ ! -f "$datadir/PG_VERSION" ]; then
        log "initialising PostgreSQL cluster in $datadir"
        pg_run "$bindir/initdb" -D "$datadir" -U leadrelay --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    local opts="-c listen_addresses=127.0.0.1 -p $port -k $datadir -c shared_buffers=256MB"
    if [ "$mode" = fast ]; then
        # The test suite runs hundreds of private databases in parallel, each with its own pools:
        # at 300 connections PostgreSQL refused some ("too many clients"), and tests waited.
        opts="$opts -c max_connections=1000 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    else
        opts="$opts -c max_connections=300"
    fi
    if pg_run "$bindir/pg_ctl" -D "$datadir" status >/dev/null 2>&1; then
        log "PostgreSQL already running in $datadir"
    else
        pg_run "$bindir/pg_ctl" -D "$datadir" -l "$datadir/server.log" -o "$opts" -w -t 60 start >/dev/null \
            || { tail -n 20 "$datadir/server.log" >&2; die "PostgreSQL did not start (log: $datadir/server.log)"; }
    fi
}

stop_postgres() {
    local datadir=$1
    [ -f "$datadir/postmaster.pid" ] || return 0
    pg_run "$(pg_bindir)/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null 2>&1 || true
}

# create_database PORT NAME — idempotent.
create_database() {
    local port=$1 name=$2
    if ! psql -h 127.0.0.1 -p "$port" -U leadrelay -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
        psql -h 127.0.0.1 -p "$port" -U leadrelay -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
    fi
}

# start_redis DATADIR PORT [ephemeral] — AOF on unless ephemeral.
start_redis() {
    local datadir=$1 port=$2 mode=${3:-durable}
    mkdir -p "$datadir"
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
        log "Redis already answering on port $port"
        return 0
    fi
    local persistence=(--appendonly yes --appendfsync everysec)
    [ "$mode" = ephemeral ] && persistence=(--appendonly no --save '')
    redis-server --port "$port" --bind 127.0.0.1 --dir "$datadir" "${persistence[@]}" \
        --daemonize yes --pidfile "$datadir/redis.pid" --logfile "$datadir/redis.log" >/dev/null \
        || die "redis-server did not start (log: $datadir/redis.log)"
    local i
    for i in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
    die "redis-server on port $port did not answer (log: $datadir/redis.log)"
}

stop_redis() {
    local port=$1
    local mode=${2:-durable}
    if [ "$mode" = ephemeral ]; then redis-cli -p "$port" shutdown nosave; else redis-cli -p "$port" shutdown; fi >/dev/null 2>&1 || true
}

# Prints a TCP port that is free on 127.0.0.1 right now.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
