#!/usr/bin/env bash
# Probe for docs/resilience.md finding 12: one Worker (debug build unless WORKER_BIN is set) on
# throw-away PostgreSQL and Redis; 5 s in, the postmaster and its children get kill -9 and
# PostgreSQL starts again at once; AFTER seconds later (default 15) it records what the
# server sees (pg_stat_activity), the Worker's sockets, then sends SIGTERM and times the exit.
#   bash scripts/lib/chaos/pg_crash_probe.sh            # results in /tmp/probe-*.txt and /tmp/probe-worker.log
set -uo pipefail
cd "$(dirname "$0")/../../.."
source scripts/lib/services.sh
work=$(mktemp -d /tmp/probe.XXXX); chmod 755 "$work"
pg_port=$(free_port); redis_port=$(free_port)
start_postgres "$work/pg" "$pg_port" fast
start_redis "$work/redis" "$redis_port" ephemeral
create_database "$pg_port" lr
export DATABASE_URL="postgres://leadrelay@127.0.0.1:$pg_port/lr" REDIS_URL="redis://127.0.0.1:$redis_port/0"
export LEADRELAY_SECRET_KEY LEADRELAY_ALLOW_PRIVATE_NETWORKS=true METRICS_PORT=0 LOG_LEVEL=${LOG_LEVEL:-debug}
LEADRELAY_SECRET_KEY=$(.build/debug/leadctl secrets generate-key)
.build/debug/leadctl migrate >/dev/null
"${WORKER_BIN:-.build/debug/Worker}" > "$work/worker.log" 2>&1 &
wpid=$!
sleep 5
pm=$(head -1 "$work/pg/postmaster.pid")
pkill -9 -P "$pm"; kill -9 "$pm"; sleep 2
rm -f "$work/pg/postmaster.pid"
start_postgres "$work/pg" "$pg_port" fast
sleep "${AFTER:-15}"
psql "$DATABASE_URL" -tAc "SELECT pid, state, backend_type, wait_event FROM pg_stat_activity" > /tmp/probe-psql.txt 2>&1
ss -tnp | grep "pid=$wpid" | grep ":$pg_port" > /tmp/probe-ss.txt
t0=$(date +%s.%N); kill -TERM "$wpid"
for _ in $(seq 1 120); do kill -0 "$wpid" 2>/dev/null || break; sleep 0.5; done
t1=$(date +%s.%N)
echo "worker exit after $(echo "$t1 - $t0" | bc) s (still alive: $(kill -0 "$wpid" 2>/dev/null && echo yes || echo no))"
kill -9 "$wpid" 2>/dev/null
cp "$work/worker.log" /tmp/probe-worker.log
stop_postgres "$work/pg"; stop_redis "$redis_port" ephemeral; rm -rf "$work"
