#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster on a private port and print its DATABASE_URL.
# Usage: eval "$(bash .ci/postgres.sh start)"   ...   bash .ci/postgres.sh stop
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${PGPORT:-54329}
PGROOT=${PGROOT:-/tmp/recovery-directory-pg}
RUNAS=()
if [ "$(id -u)" = "0" ]; then
  RUNAS=(runuser -u postgres --)
fi

start() {
  if [ ! -x "$PGBIN/initdb" ]; then
    echo "PostgreSQL 15 binaries not found in $PGBIN; installing postgresql-15" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >&2
  fi
  mkdir -p "$PGROOT"
  if [ "$(id -u)" = "0" ]; then chown postgres "$PGROOT"; fi
  if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
    "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust --no-sync >&2
  fi
  if ! "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -w -t 60 -l "$PGROOT/server.log" \
      -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >&2
  fi
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='recovery'" | grep -q 1 \
    || "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE ROLE recovery LOGIN SUPERUSER PASSWORD 'recovery'" >&2
  "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='recovery'" | grep -q 1 \
    || "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE recovery OWNER recovery" >&2
  echo "export DATABASE_URL=postgres://recovery:recovery@127.0.0.1:$PGPORT/recovery"
}

stop() {
  if [ -f "$PGROOT/data/postmaster.pid" ]; then
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast stop >&2 || true
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
