# Sourced by .ci/run: start a throwaway PostgreSQL server on loopback for the tests and
# export RISKREG_TEST_POSTGRES_URL. Stopped again when the sourcing shell exits.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL saknas: PostgreSQL-testerna hoppas över." >&2
  return 0
fi
PGPORT=${RISKREG_CI_PGPORT:-54329}
PGDATA_DIR=$(mktemp -d /tmp/riskreg-pg.XXXXXX)
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR"
as_pg "$PGBIN/initdb" -D "$PGDATA_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR/data" -l "$PGDATA_DIR/log" -w \
  -o "-p $PGPORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
stop_postgres() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PGDATA_DIR"; }
trap stop_postgres EXIT
export RISKREG_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
echo "PostgreSQL ($PGBIN) på port $PGPORT för testerna." >&2
