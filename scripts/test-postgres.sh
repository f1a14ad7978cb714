#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server for the tests:
#
#   scripts/test-postgres.sh COMMAND [ARGS...]
#
# If DASHBOARD_TEST_PG_URL is already set, the command runs against that server
# and nothing is started. Otherwise a new cluster is initialised in a temporary
# folder (trust auth, fsync off: its data is thrown away), started on a free
# port from 54330 up, exported as DASHBOARD_TEST_PG_URL, and stopped and deleted
# when the command ends, whether it passed, failed or was interrupted.
# The exit code is the command's.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 64
fi

if [ -n "${DASHBOARD_TEST_PG_URL:-}" ]; then
    echo "test-postgres: using DASHBOARD_TEST_PG_URL from the environment"
    exec "$@"
fi

# Debian keeps the server binaries off PATH, under /usr/lib/postgresql/<major>/bin.
find_bindir() {
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return
    fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
        return
    fi
    echo "test-postgres: no PostgreSQL server binaries found (Debian: apt-get install postgresql)" >&2
    exit 1
}
BINDIR=$(find_bindir)

# PostgreSQL refuses to run as root: as root, run the server as the postgres user.
as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "test-postgres: running as root but there is no 'postgres' user to run the server as" >&2
    exit 1
fi

SOCKET_DIR=/tmp
WORKDIR=$(mktemp -d /tmp/dashboard-test-pg.XXXXXX)
DATADIR="$WORKDIR/data"
LOGFILE="$WORKDIR/server.log"
STARTED=""

cleanup() {
    if [ -n "$STARTED" ]; then
        # "immediate": the data is thrown away, so there is nothing to flush.
        as_server_user "$BINDIR/pg_ctl" -D "$DATADIR" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORKDIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$WORKDIR"
fi
as_server_user "$BINDIR/initdb" -D "$DATADIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$WORKDIR/initdb.log" 2>&1 || {
    cat "$WORKDIR/initdb.log" >&2
    echo "test-postgres: initdb failed" >&2
    exit 1
}

port_in_use() {
    # A listener on the TCP port, or another server's socket file in the socket folder.
    if [ -e "$SOCKET_DIR/.s.PGSQL.$1" ] || [ -e "$SOCKET_DIR/.s.PGSQL.$1.lock" ]; then
        return 0
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port=54330
for _ in $(seq 1 50); do
    if ! port_in_use "$port"; then
        if as_server_user "$BINDIR/pg_ctl" -D "$DATADIR" -l "$LOGFILE" -w -t 60 \
            -o "-p $port -k $SOCKET_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            STARTED=1
            break
        fi
        # Lost a race for the port (or another failure: the log says which).
        tail -n 5 "$LOGFILE" >&2 || true
    fi
    port=$((port + 1))
done
if [ -z "$STARTED" ]; then
    echo "test-postgres: could not start a PostgreSQL server (tried ports 54330-$port)" >&2
    exit 1
fi

export DASHBOARD_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
echo "test-postgres: throwaway server at $DASHBOARD_TEST_PG_URL"

# Not exec: the EXIT trap must run after the command to stop the server.
set +e
"$@"
status=$?
set -e
exit "$status"
