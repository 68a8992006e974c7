# Sourced by .ci/run (and by hand when testing): start a throwaway PostgreSQL server on
# loopback for the tests and export RISKREG_TEST_POSTGRES_URL. The port is
# $RISKREG_CI_PGPORT, or a free one. `stop_postgres` stops it and removes its folder; it
# runs on the sourcing shell's exit unless the caller sets a trap of its own afterwards.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL saknas: PostgreSQL-testerna hoppas över." >&2
  return 0
fi
PGPORT=${RISKREG_CI_PGPORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
PGDATA_DIR=$(mktemp -d /tmp/riskreg-pg.XXXXXX)
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_postgres() {
  if [ -n "${PGDATA_DIR:-}" ] && [ -d "$PGDATA_DIR" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA_DIR"
  fi
}
trap stop_postgres EXIT
[ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR"
if ! as_pg "$PGBIN/initdb" -D "$PGDATA_DIR/data" -A trust -U postgres -E UTF8 \
    --locale=C.UTF-8 >"$PGDATA_DIR/initdb.log" 2>&1; then
  echo "Kunde inte skapa PostgreSQL-klustret:" >&2
  tail -n 5 "$PGDATA_DIR/initdb.log" >&2
  stop_postgres
  return 1
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR/data" -l "$PGDATA_DIR/log" -w \
    -o "-p $PGPORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
  echo "PostgreSQL kunde inte starta på port $PGPORT (är porten upptagen?). Serverns logg:" >&2
  tail -n 5 "$PGDATA_DIR/log" >&2
  stop_postgres
  return 1
fi
export RISKREG_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
echo "PostgreSQL ($PGBIN) på port $PGPORT för testerna." >&2
