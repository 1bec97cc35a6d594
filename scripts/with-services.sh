#!/usr/bin/env bash
# shellcheck disable=SC2317  # functions run from the EXIT trap or through wait_until are reachable
# Runs a command with PostgreSQL, MariaDB and Redis answering on 127.0.0.1, for the integration tests.
#
#   scripts/with-services.sh ./mvnw -B verify
#   LINTEL_PG_PORT=5433 scripts/with-services.sh env | grep LINTEL_TEST
#
# For each server it uses the one already answering on 127.0.0.1 (ports from LINTEL_PG_PORT,
# LINTEL_MARIADB_PORT, LINTEL_REDIS_PORT; defaults 5432, 3306, 6379) if it lets in the test user
# without a password. Otherwise it installs the Debian package when the server is missing and starts
# a private, throwaway instance on a free loopback port, which it stops (and deletes) on exit. It
# creates the `lintel_test` databases, installs Chromium (for a browser test) when it is missing,
# exports the LINTEL_TEST_* settings the tests read (see docs/building.md), runs the command and
# exits with its exit code. Its own messages go to stderr,
# so the command's stdout stays clean.
#
# The command runs in the foreground: Ctrl-C reaches it directly; a SIGTERM sent to this script
# alone is handled (private servers stopped) once the command has ended.
set -euo pipefail

readonly HOST=127.0.0.1
readonly PG_PORT=${LINTEL_PG_PORT:-5432}
readonly MARIADB_PORT=${LINTEL_MARIADB_PORT:-3306}
readonly REDIS_PORT=${LINTEL_REDIS_PORT:-6379}
readonly DB=lintel_test
# Seconds a private server gets to answer after being started.
readonly START_TIMEOUT=60

# State of the private instances, for cleanup(): empty when nothing was started.
PG_DIR="" PG_BIN=""
PG_AS=() # command prefix that runs PostgreSQL tools as a non-root user (PostgreSQL refuses root)
MARIADB_DIR="" MARIADB_PID=""
REDIS_DIR="" REDIS_PID="" REDIS_PRIVATE_PORT=""
REDIS_SERVER=""
REDIS_CLUSTER_DIR="" REDIS_CLUSTER_PIDS=()
APT_UPDATED=false

log() { printf 'with-services: %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# ---------------------------------------------------------------------------------------------------
# General helpers

# Runs a command as root: directly when we are root, else through sudo (a developer's machine).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

# Installs Debian packages; 'apt-get update' runs once per script run, only if something is missing.
apt_install() {
  command -v apt-get >/dev/null || die "$* missing and no apt-get to install it; install it by hand"
  log "installing Debian packages: $*"
  if [ "$APT_UPDATED" = false ]; then
    as_root apt-get update -q >&2 || die "apt-get update failed"
    APT_UPDATED=true
  fi
  # The lock timeout waits for a concurrent apt/dpkg (e.g. unattended upgrades) instead of failing.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "$@" >&2 || die "apt-get install $* failed"
}

# True when something accepts TCP connections on HOST:$1 (bash's /dev/tcp; no client needed).
tcp_open() {
  # shellcheck disable=SC2016  # $0/$1 expand in the inner bash, which timeout needs as a command
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

# Prints the first port from $1 upward on which nothing listens.
free_port() {
  local port=$1
  while tcp_open "$port"; do
    port=$((port + 1))
    [ "$port" -lt $(($1 + 100)) ] || die "no free port in $1..$port"
  done
  printf '%s\n' "$port"
}

# Creates the throwaway directory of one private server. Under /tmp rather than $TMPDIR: the server
# user must be able to reach it, and unix socket paths must stay short.
make_tmp_dir() {
  mktemp -d "/tmp/lintel-services-$1.XXXXXX"
}

# The unprivileged user a server runs as when we are root: its own system user if the package made
# one, else nobody. Prints nothing when we are not root (the server then runs as ourselves).
server_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  if id "$1" >/dev/null 2>&1; then printf '%s\n' "$1"; else printf 'nobody\n'; fi
}

# Waits until a started server answers: wait_until NAME PID LOGFILE PROBE [PROBE_ARGS...].
# PID may be empty (PostgreSQL, which pg_ctl detaches). Fails with the log when the server exits or
# does not answer within START_TIMEOUT.
wait_until() {
  local name=$1 pid=$2 logfile=$3 deadline=$((SECONDS + START_TIMEOUT))
  shift 3
  until "$@" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      start_failed "$name" "$logfile" "exited during start-up"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      start_failed "$name" "$logfile" "did not answer within ${START_TIMEOUT}s"
    fi
    sleep 0.5
  done
}

start_failed() {
  local name=$1 logfile=$2 why=$3
  if [ -s "$logfile" ]; then
    log "---- last lines of $logfile ----"
    tail -n 60 "$logfile" >&2
    log "---- end of $logfile ----"
  fi
  die "the private $name $why"
}

# Stops a process started by this script: SIGTERM (a clean shutdown for mariadbd and redis-server),
# then SIGKILL if it is still there after 30 s.
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  log "pid $pid ignored SIGTERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------------
# PostgreSQL

# Newest PostgreSQL bin directory that holds $1 (e.g. initdb), or nothing.
pg_lib_tool() {
  local dir
  while read -r dir; do
    if [ -x "$dir/$1" ]; then
      printf '%s\n' "$dir/$1"
      return 0
    fi
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
  return 1
}

# A PostgreSQL client tool (psql, pg_isready): from PATH, else from the PostgreSQL bin directory.
pg_tool() {
  command -v "$1" || pg_lib_tool "$1"
}

# Runs SQL as postgres without a password (what the tests do); prints unaligned tuples.
pg_sql() {
  local psql
  psql=$(pg_tool psql) || return 1
  PGCONNECT_TIMEOUT=5 "$psql" -X -w -q -At -v ON_ERROR_STOP=1 \
    -h "$HOST" -p "$1" -U postgres -d postgres -c "$2"
}

pg_login_ok() {
  [ "$(pg_sql "$1" 'select 1' 2>/dev/null)" = 1 ]
}

# Whether the server on port $1 is usable by the tests. Installs the client when a server answers
# but psql is missing, and says so when a server answers but refuses postgres without a password.
pg_usable() {
  local port=$1 isready
  if isready=$(pg_tool pg_isready); then
    "$isready" -q -h "$HOST" -p "$port" -t 3 || return 1
  else
    tcp_open "$port" || return 1
  fi
  pg_tool psql >/dev/null || apt_install postgresql-client
  pg_login_ok "$port" && return 0
  log "PostgreSQL: a server answers on $HOST:$port, but postgres cannot log in there without a password; not using it"
  return 1
}

setup_postgres() {
  local port=$PG_PORT
  if pg_usable "$port"; then
    log "PostgreSQL: using the running server on $HOST:$port"
  elif ! pg_lib_tool initdb >/dev/null && apt_install postgresql && pg_usable "$port"; then
    # The package's postinst may create and start a cluster on 5432: take it if it is our target.
    log "PostgreSQL: using the server the package started on $HOST:$port"
  else
    port=$(free_port 55432)
    start_private_postgres "$port"
    log "PostgreSQL: started a private server on $HOST:$port (data in $PG_DIR)"
  fi
  pg_create_db "$port"
  export LINTEL_TEST_POSTGRES_URL="jdbc:postgresql://$HOST:$port/$DB"
  export LINTEL_TEST_POSTGRES_USER=postgres
  export LINTEL_TEST_POSTGRES_PASSWORD=""
}

start_private_postgres() {
  local port=$1 user
  PG_BIN=$(dirname "$(pg_lib_tool initdb)")
  PG_DIR=$(make_tmp_dir pg)
  user=$(server_user postgres)
  if [ -n "$user" ]; then
    chown "$user:" "$PG_DIR"
    PG_AS=(runuser -u "$user" --)
  fi
  # Trust auth and superuser 'postgres' whatever user runs it: the tests log in without a password.
  # C.UTF-8 is what Debian's own clusters use.
  if ! pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1; then
    start_failed PostgreSQL "$PG_DIR/initdb.log" "could not be initialised (initdb failed)"
  fi
  # Loopback only, socket inside the temp dir (never clashes with the system's /var/run/postgresql),
  # and no durability: the data is thrown away anyway.
  cat >>"$PG_DIR/data/postgresql.conf" <<EOF

# added by scripts/with-services.sh
listen_addresses = '$HOST'
port = $port
unix_socket_directories = '$PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t "$START_TIMEOUT" start \
    >"$PG_DIR/pg_ctl.log" 2>&1 || start_failed PostgreSQL "$PG_DIR/postgres.log" "did not start"
  wait_until PostgreSQL "" "$PG_DIR/postgres.log" pg_login_ok "$port"
}

# Runs a PostgreSQL server tool as the server user, from inside the temp dir (that user may not be
# allowed into our working directory).
pg_run() {
  (cd "$PG_DIR" && "${PG_AS[@]}" "$@")
}

pg_create_db() {
  local port=$1 exists="select 1 from pg_database where datname = '$DB'"
  [ "$(pg_sql "$port" "$exists")" = 1 ] && return 0
  # A concurrent run may create it between the check and here: only fail if it is still missing.
  pg_sql "$port" "create database $DB" >/dev/null 2>&1 ||
    [ "$(pg_sql "$port" "$exists")" = 1 ] ||
    die "could not create database $DB in PostgreSQL on $HOST:$port"
}

stop_private_postgres() {
  [ -n "$PG_DIR" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    if ! pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      # SIGQUIT is PostgreSQL's immediate shutdown.
      kill -QUIT "$(head -n 1 "$PG_DIR/data/postmaster.pid")" 2>/dev/null || true
      sleep 1
    fi
  fi
  rm -rf "$PG_DIR"
  log "PostgreSQL: stopped the private server"
  PG_DIR=""
}

# ---------------------------------------------------------------------------------------------------
# MariaDB

mariadb_client() { command -v mariadb || command -v mysql; }
# The server binaries live in /usr/sbin, which is not on a normal user's PATH.
mariadb_server() { PATH="$PATH:/usr/sbin" command -v mariadbd || PATH="$PATH:/usr/sbin" command -v mysqld; }
mariadb_install_db() { command -v mariadb-install-db || command -v mysql_install_db; }
mariadb_server_installed() { mariadb_server >/dev/null && mariadb_install_db >/dev/null; }

# Runs SQL as root without a password over TCP (what the tests do). --no-defaults: a ~/.my.cnf must
# not make it work here when it would not work for the tests.
mariadb_sql() {
  local client
  client=$(mariadb_client) || return 1
  timeout 20 "$client" --no-defaults --protocol=TCP -h "$HOST" -P "$1" -u root \
    --connect-timeout=5 -N -B -e "$2"
}

mariadb_login_ok() {
  [ "$(mariadb_sql "$1" 'select 1' 2>/dev/null)" = 1 ]
}

# Whether the server on port $1 is usable by the tests (root, no password, over TCP). Debian's own
# package sets root up for unix_socket auth only, which the tests cannot use.
mariadb_usable() {
  local port=$1
  if ! mariadb_client >/dev/null; then
    tcp_open "$port" || return 1
    apt_install mariadb-client
  fi
  mariadb_login_ok "$port" && return 0
  if tcp_open "$port"; then
    log "MariaDB: something answers on $HOST:$port, but root cannot log in there without a password; not using it"
  fi
  return 1
}

setup_mariadb() {
  local port=$MARIADB_PORT
  if mariadb_usable "$port"; then
    log "MariaDB: using the running server on $HOST:$port"
  elif ! mariadb_server_installed && apt_install mariadb-server && mariadb_usable "$port"; then
    # The package's postinst may start a server on 3306 (rarely usable: root has unix_socket auth).
    log "MariaDB: using the server the package started on $HOST:$port"
  else
    port=$(free_port 53306)
    start_private_mariadb "$port"
    log "MariaDB: started a private server on $HOST:$port (data in $MARIADB_DIR)"
  fi
  mariadb_sql "$port" "create database if not exists $DB character set utf8mb4" ||
    die "could not create database $DB in MariaDB on $HOST:$port"
  # Connector/J 4 asks for TLS by default; the test servers speak plain TCP on loopback.
  export LINTEL_TEST_MARIADB_URL="jdbc:mariadb://$HOST:$port/$DB?sslMode=disable"
  export LINTEL_TEST_MARIADB_USER=root
  export LINTEL_TEST_MARIADB_PASSWORD=""
}

start_private_mariadb() {
  local port=$1 user user_opt=()
  MARIADB_DIR=$(make_tmp_dir mariadb)
  user=$(server_user mysql)
  if [ -n "$user" ]; then
    chown "$user:" "$MARIADB_DIR"
    user_opt=(--user="$user") # mariadbd refuses to run as root; it switches to this user itself
  fi
  # Real grant tables with root@localhost/127.0.0.1 and an empty password ('normal' auth).
  # --no-defaults everywhere: /etc/mysql/my.cnf describes the system server, not this one.
  if ! "$(mariadb_install_db)" --no-defaults "${user_opt[@]}" --datadir="$MARIADB_DIR/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$MARIADB_DIR/install.log" 2>&1; then
    start_failed MariaDB "$MARIADB_DIR/install.log" "could not be initialised (mariadb-install-db failed)"
  fi
  # setsid: its own session, so a Ctrl-C meant for the command does not kill it before cleanup.
  # utf8mb4 like Debian's packaged configuration; no name resolution for loopback logins. No
  # --log-error: it logs to stderr, into a file we open (the server user could not create it).
  setsid "$(mariadb_server)" --no-defaults "${user_opt[@]}" --datadir="$MARIADB_DIR/data" \
    --port="$port" --bind-address="$HOST" --socket="$MARIADB_DIR/mysqld.sock" \
    --pid-file="$MARIADB_DIR/mysqld.pid" \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    </dev/null >"$MARIADB_DIR/mysqld.log" 2>&1 &
  MARIADB_PID=$!
  wait_until MariaDB "$MARIADB_PID" "$MARIADB_DIR/mysqld.log" mariadb_login_ok "$port"
}

stop_private_mariadb() {
  [ -n "$MARIADB_DIR" ] || return 0
  [ -z "$MARIADB_PID" ] || stop_pid "$MARIADB_PID"
  rm -rf "$MARIADB_DIR"
  log "MariaDB: stopped the private server"
  MARIADB_DIR="" MARIADB_PID=""
}

# ---------------------------------------------------------------------------------------------------
# Redis

# Some tests start (and kill) their own redis-server processes, so the binary must be there even
# when a Redis already answers.
ensure_redis_server_binary() {
  REDIS_SERVER=$(command -v redis-server) || {
    apt_install redis-server
    REDIS_SERVER=$(command -v redis-server) || die "redis-server still missing after installing it"
  }
  # Not readlink -f: on Debian redis-server is a symlink to redis-check-rdb, which acts on its name.
  case $REDIS_SERVER in /*) ;; *) REDIS_SERVER=$PWD/$REDIS_SERVER ;; esac
}

redis_ping_ok() {
  [ "$(timeout 5 redis-cli -h "$HOST" -p "$1" ping 2>/dev/null)" = PONG ]
}

# Whether the server on port $1 is usable by the tests (no password). redis-cli comes with the
# redis-server package (redis-tools); the /dev/tcp probe covers a hand-installed redis-server.
redis_usable() {
  local port=$1
  if ! command -v redis-cli >/dev/null; then
    tcp_open "$port"
    return
  fi
  redis_ping_ok "$port" && return 0
  if tcp_open "$port"; then
    log "Redis: something answers on $HOST:$port, but not PONG to a PING without a password; not using it"
  fi
  return 1
}

redis_probe() {
  if command -v redis-cli >/dev/null; then redis_ping_ok "$1"; else tcp_open "$1"; fi
}

setup_redis() {
  local port=$REDIS_PORT
  ensure_redis_server_binary
  if redis_usable "$port"; then
    log "Redis: using the running server on $HOST:$port"
  else
    port=$(free_port 56379)
    start_private_redis "$port"
    log "Redis: started a private server on $HOST:$port (dir $REDIS_DIR)"
  fi
  export LINTEL_TEST_REDIS_URI="redis://$HOST:$port"
  export LINTEL_TEST_REDIS_SERVER="$REDIS_SERVER"
}

start_private_redis() {
  local port=$1
  REDIS_DIR=$(make_tmp_dir redis)
  REDIS_PRIVATE_PORT=$port
  # No persistence (no RDB snapshots, no AOF): a throwaway cache for the tests. It logs to stdout,
  # which also catches errors in its options. setsid: as for MariaDB.
  setsid "$REDIS_SERVER" --port "$port" --bind "$HOST" --save "" --appendonly no \
    --daemonize no --dir "$REDIS_DIR" \
    </dev/null >"$REDIS_DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  wait_until Redis "$REDIS_PID" "$REDIS_DIR/redis.log" redis_probe "$port"
}

stop_private_redis() {
  [ -n "$REDIS_DIR" ] || return 0
  if [ -n "$REDIS_PID" ]; then
    if command -v redis-cli >/dev/null; then
      timeout 10 redis-cli -h "$HOST" -p "$REDIS_PRIVATE_PORT" shutdown nosave >/dev/null 2>&1 || true
    fi
    stop_pid "$REDIS_PID" # no-op when the shutdown above worked
  fi
  rm -rf "$REDIS_DIR"
  log "Redis: stopped the private server"
  REDIS_DIR="" REDIS_PID=""
}

# ---------------------------------------------------------------------------------------------------
# Redis Cluster (3 masters, 3 replicas), always private and throwaway; LINTEL_REDIS_CLUSTER=off skips it

redis_cluster_ok() {
  [ "$(timeout 5 redis-cli -h "$HOST" -p "$1" cluster info 2>/dev/null | tr -d '\r' |
    sed -n 's/^cluster_state://p')" = ok ]
}

# True when every node of the private cluster says the cluster is ok.
redis_cluster_all_ok() {
  local port
  for port in "$@"; do redis_cluster_ok "$port" || return 1; done
}

setup_redis_cluster() {
  if [ "${LINTEL_REDIS_CLUSTER:-on}" = off ]; then
    log "Redis Cluster: skipped (LINTEL_REDIS_CLUSTER=off); cluster tests will fail"
    return 0
  fi
  command -v redis-cli >/dev/null || apt_install redis-tools
  REDIS_CLUSTER_DIR=$(make_tmp_dir redis-cluster)
  # Each node also listens on port + 10000 (the cluster bus). Both stay below the kernel's ephemeral
  # range (32768 up on Debian), where an outgoing connection may hold a port nothing listens on.
  local port=21100 ports=() i
  for ((i = 0; i < 6; i++)); do
    port=$(free_port "$port")
    while tcp_open $((port + 10000)); do port=$(free_port $((port + 1))); done
    mkdir -p "$REDIS_CLUSTER_DIR/$port"
    setsid "$REDIS_SERVER" --port "$port" --bind "$HOST" --save "" --appendonly no \
      --daemonize no --dir "$REDIS_CLUSTER_DIR/$port" --cluster-enabled yes \
      --cluster-config-file "$REDIS_CLUSTER_DIR/$port/nodes.conf" --cluster-node-timeout 2000 \
      --repl-diskless-sync-delay 0 \
      </dev/null >"$REDIS_CLUSTER_DIR/$port/redis.log" 2>&1 &
    REDIS_CLUSTER_PIDS+=($!)
    ports+=("$port")
    port=$((port + 1))
  done
  for ((i = 0; i < 6; i++)); do
    wait_until "Redis Cluster node" "${REDIS_CLUSTER_PIDS[$i]}" \
      "$REDIS_CLUSTER_DIR/${ports[$i]}/redis.log" redis_ping_ok "${ports[$i]}"
  done
  local nodes=()
  for port in "${ports[@]}"; do nodes+=("$HOST:$port"); done
  timeout 60 redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes \
    >"$REDIS_CLUSTER_DIR/create.log" 2>&1 ||
    start_failed "Redis Cluster" "$REDIS_CLUSTER_DIR/create.log" "could not be created"
  wait_until "Redis Cluster" "" "$REDIS_CLUSTER_DIR/create.log" redis_cluster_all_ok "${ports[@]}"
  log "Redis Cluster: started 3 masters + 3 replicas on $HOST:${ports[0]}..${ports[5]} (dir $REDIS_CLUSTER_DIR)"
  export LINTEL_TEST_REDIS_CLUSTER_URI="redis://$HOST:${ports[0]}"
}

stop_redis_cluster() {
  [ -n "$REDIS_CLUSTER_DIR" ] || return 0
  local pid
  for pid in "${REDIS_CLUSTER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${REDIS_CLUSTER_PIDS[@]}"; do stop_pid "$pid"; done
  rm -rf "$REDIS_CLUSTER_DIR"
  log "Redis Cluster: stopped the private cluster"
  REDIS_CLUSTER_DIR="" REDIS_CLUSTER_PIDS=()
}

# ---------------------------------------------------------------------------------------------------

# Stops what this script started (never anything else), keeping the exit code. Signals are ignored
# meanwhile so that a second Ctrl-C does not leave servers behind.
cleanup() {
  local rc=$?
  trap - EXIT
  trap '' INT TERM
  set +e
  stop_redis_cluster
  stop_private_redis
  stop_private_mariadb
  stop_private_postgres
  exit "$rc"
}

# ---------------------------------------------------------------------------------------------------
# Chromium, for the browser test of the orders sample's web page (headless, driven over the
# DevTools protocol). Installed from Debian when missing; there is no server to start.

setup_chromium() {
  local browser=${LINTEL_TEST_CHROMIUM:-}
  [ -n "$browser" ] || browser=$(command -v chromium || true)
  if [ -z "$browser" ]; then
    apt_install chromium
    browser=$(command -v chromium) || die "chromium was installed but is not on the PATH"
  fi
  log "Chromium: $browser"
  export LINTEL_TEST_CHROMIUM="$browser"
}

main() {
  if [ $# -eq 0 ]; then
    echo "usage: scripts/with-services.sh CMD [ARGS...]" >&2
    exit 2
  fi
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  setup_postgres
  setup_mariadb
  setup_redis
  setup_redis_cluster
  setup_chromium

  local rc=0
  "$@" || rc=$?
  exit "$rc"
}

# Only run when executed, so that the functions can be sourced to test them.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
