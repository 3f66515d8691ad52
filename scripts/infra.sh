#!/usr/bin/env bash
# shellcheck disable=SC2016  # single-quoted bash -c bodies use their own $1/$2
# Einlass infrastructure: makes PostgreSQL and Redis available and exports
# DATABASE_URL and REDIS_URL.
#
#   source scripts/infra.sh           # ensure services, export the two URLs
#   bash scripts/infra.sh [up|env]    # ensure services, print `export ...` lines
#   bash scripts/infra.sh stop        # stop the project-local services (.einlass/)
#   bash scripts/infra.sh status      # show what is running project-locally
#
# Decision order (one line per decision on stderr):
#   1. DATABASE_URL / REDIS_URL already set  -> use them (checked, database created if missing)
#   2. something answers on 127.0.0.1:5432 / :6379 -> use it (database "einlass" created if missing)
#   3. otherwise start project-local servers under .einlass/ (postgres :55432, redis :56379),
#      installing postgresql / redis-server with apt-get when the binaries are missing.
#
# Knobs (all optional):
#   EINLASS_PG_PORT_PROBE=5432       port probed for a machine PostgreSQL (set to e.g. 1 to skip)
#   EINLASS_REDIS_PORT_PROBE=6379    port probed for a machine Redis
#   EINLASS_LOCAL_PG_PORT=55432      port of the project-local PostgreSQL
#   EINLASS_LOCAL_REDIS_PORT=56379   port of the project-local Redis
#   EINLASS_DB_NAME=einlass          database name used in branches 2 and 3
#   EINLASS_INFRA_SOURCE_ONLY=1      when sourced: only define the functions
#
# Written to be sourced into `set -euo pipefail` scripts: it never calls `exit`
# when sourced, never changes the caller's shell options, and only defines
# names prefixed with einlass_ / _einlass_ / EINLASS_.

EINLASS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EINLASS_HOME="${EINLASS_HOME:-$EINLASS_ROOT/.einlass}"

_einlass_log() { printf 'infra: %s\n' "$*" >&2; }
_einlass_err() { printf 'infra: ERROR: %s\n' "$*" >&2; }

# Run a command as root: directly when root, via sudo when available.
_einlass_as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    _einlass_err "need root to run: $* (not root and no sudo)"
    return 1
  fi
}

# einlass_apt_install PKG... : apt-get update (once per shell) + install.
einlass_apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    _einlass_err "apt-get not found; please install these packages yourself: $*"
    return 1
  fi
  _einlass_log "installing with apt-get: $*"
  if [[ -z "${_EINLASS_APT_UPDATED:-}" ]]; then
    _einlass_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || {
      _einlass_err "apt-get update failed"
      return 1
    }
    _EINLASS_APT_UPDATED=1
  fi
  _einlass_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "$@" >&2 || {
    _einlass_err "apt-get install $* failed"
    return 1
  }
}

# _einlass_tcp_open HOST PORT : true if something accepts a TCP connection.
_einlass_tcp_open() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

# _einlass_pg_up HOST PORT : true if a PostgreSQL server accepts connections.
_einlass_pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$1" -p "$2" -t 3 >/dev/null 2>&1
  else
    _einlass_tcp_open "$1" "$2"
  fi
}

# _einlass_redis_up HOST PORT : true if a Redis answers PING with PONG (no auth).
_einlass_redis_up() {
  local reply
  reply="$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r -t 2 line <&3 && printf "%s" "$line"' _ "$1" "$2" 2>/dev/null)" || return 1
  [[ "$reply" == "+PONG"* ]]
}

# URL helpers --------------------------------------------------------------
# _einlass_url_hostport URL DEFAULT_PORT -> prints "host port"
_einlass_url_hostport() {
  local rest="${1#*://}" host port
  rest="${rest%%/*}"
  rest="${rest%%\?*}"
  rest="${rest##*@}"
  if [[ "$rest" =~ ^\[(.*)\](:([0-9]+))?$ ]]; then
    host="${BASH_REMATCH[1]}"
    port="${BASH_REMATCH[3]:-$2}"
  elif [[ "$rest" == *:* ]]; then
    host="${rest%:*}"
    port="${rest##*:}"
  else
    host="$rest"
    port="$2"
  fi
  printf '%s %s\n' "${host:-localhost}" "${port:-$2}"
}

# _einlass_url_db URL -> database name (path part without query)
_einlass_url_db() {
  local rest="${1#*://}"
  rest="${rest%%\?*}"
  if [[ "$rest" == */* ]]; then
    rest="${rest#*/}"
    printf '%s\n' "${rest%%/*}"
  fi
}

# einlass_url_with_db URL NAME -> same URL with the path replaced by /NAME (query kept)
einlass_url_with_db() {
  local url="$1" name="$2" query="" scheme auth
  if [[ "$url" == *\?* ]]; then
    query="?${url#*\?}"
    url="${url%%\?*}"
  fi
  scheme="${url%%://*}"
  auth="${url#*://}"
  auth="${auth%%/*}"
  printf '%s://%s/%s%s\n' "$scheme" "$auth" "$name" "$query"
}

# psql ---------------------------------------------------------------------
_einlass_pg_bindir() {
  local d
  d="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$d" && -x "$d/pg_ctl" ]] && printf '%s\n' "$d"
}

_einlass_psql_bin() {
  local d
  if command -v psql >/dev/null 2>&1 && psql --version >/dev/null 2>&1; then
    command -v psql
  elif d="$(_einlass_pg_bindir)" && [[ -x "$d/psql" ]]; then
    printf '%s\n' "$d/psql"
  else
    return 1
  fi
}

_einlass_need_psql() {
  _einlass_psql_bin >/dev/null && return 0
  _einlass_log "psql not found"
  einlass_apt_install postgresql-client && _einlass_psql_bin >/dev/null
}

# _einlass_psql URL ARGS... : non-interactive psql (never prompts for a password)
_einlass_psql() {
  local url="$1" bin
  shift
  bin="$(_einlass_psql_bin)" || return 1
  PGCONNECT_TIMEOUT=5 "$bin" -w -X -q -At -v ON_ERROR_STOP=1 -d "$url" "$@"
}

# einlass_pg_ensure_db URL : make sure the database named in URL exists
# (connects to the "postgres" maintenance database of the same server to create it).
einlass_pg_ensure_db() {
  local url="$1" db admin out
  db="$(_einlass_url_db "$url")"
  if [[ -z "$db" ]]; then
    _einlass_err "no database name in URL: $(_einlass_redact "$url")"
    return 1
  fi
  _einlass_need_psql || return 1
  if _einlass_psql "$url" -c 'select 1' >/dev/null 2>&1; then
    return 0
  fi
  if [[ ! "$db" =~ ^[A-Za-z0-9_]+$ ]]; then
    _einlass_err "cannot connect to $(_einlass_redact "$url") and won't create database '$db' (name must match [A-Za-z0-9_]+)"
    return 1
  fi
  admin="$(einlass_url_with_db "$url" postgres)"
  if ! out="$(_einlass_psql "$admin" -c 'select 1' 2>&1)"; then
    _einlass_err "cannot connect to PostgreSQL at $(_einlass_redact "$url"): ${out//$'\n'/ }"
    return 1
  fi
  if [[ "$(_einlass_psql "$admin" -c "select 1 from pg_database where datname = '$db'")" != "1" ]]; then
    _einlass_log "creating database $db"
    if ! out="$(_einlass_psql "$admin" -c "create database \"$db\"" 2>&1)"; then
      # a concurrent run may have created it meanwhile
      if [[ "$(_einlass_psql "$admin" -c "select 1 from pg_database where datname = '$db'")" != "1" ]]; then
        _einlass_err "could not create database $db: ${out//$'\n'/ }"
        return 1
      fi
    fi
  fi
  if ! out="$(_einlass_psql "$url" -c 'select 1' 2>&1)"; then
    _einlass_err "cannot connect to $(_einlass_redact "$url"): ${out//$'\n'/ }"
    return 1
  fi
}

# hide passwords in log lines
_einlass_redact() {
  printf '%s\n' "$1" | sed -E 's#(://[^:/@]*:)[^@/]*@#\1***@#'
}

# _einlass_redis_url_ok URL : reachable (with redis-cli: full check incl. auth)
_einlass_redis_url_ok() {
  local url="$1" hp host port
  if command -v redis-cli >/dev/null 2>&1; then
    [[ "$(timeout 5 redis-cli -u "$url" ping 2>/dev/null)" == "PONG" ]]
    return
  fi
  hp="$(_einlass_url_hostport "$url" 6379)"
  host="${hp% *}"
  port="${hp##* }"
  _einlass_tcp_open "$host" "$port"
}

# project-local PostgreSQL -------------------------------------------------
_einlass_pg_datadir_base() {
  # As root the server runs as user "postgres", which must be able to reach the
  # directory. If the checkout lives somewhere it cannot enter (e.g. /root is
  # 0700), fall back to a stable directory under /var/tmp.
  if [[ "$(id -u)" -eq 0 ]] && id postgres >/dev/null 2>&1; then
    mkdir -p "$EINLASS_HOME"
    if ! runuser -u postgres -- test -x "$EINLASS_HOME" 2>/dev/null; then
      printf '/var/tmp/einlass-%s\n' "$(printf '%s' "$EINLASS_ROOT" | cksum | cut -d' ' -f1)"
      return
    fi
  fi
  printf '%s\n' "$EINLASS_HOME"
}

# run a postgres binary as the right user
_einlass_pg_run() {
  if [[ "$(id -u)" -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

_einlass_local_pg_paths() {
  local base
  base="$(_einlass_pg_datadir_base)"
  _EINLASS_PG_BASE="$base/postgres"
  _EINLASS_PG_DATA="$base/postgres/data"
  _EINLASS_PG_SOCK="$base/postgres/run"
  _EINLASS_PG_LOG="$base/postgres/postgres.log"
}

einlass_local_pg_start() {
  local port="${EINLASS_LOCAL_PG_PORT:-55432}" bindir
  _einlass_local_pg_paths
  if ! bindir="$(_einlass_pg_bindir)"; then
    _einlass_log "PostgreSQL server binaries not found"
    einlass_apt_install postgresql || return 1
    bindir="$(_einlass_pg_bindir)" || {
      _einlass_err "initdb/pg_ctl not found under /usr/lib/postgresql/*/bin after install"
      return 1
    }
  fi
  if [[ "$(id -u)" -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    _einlass_log "creating system user postgres"
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres || return 1
    _einlass_local_pg_paths
  fi
  mkdir -p "$_EINLASS_PG_BASE" "$_EINLASS_PG_SOCK"
  if [[ "$_EINLASS_PG_BASE" != "$EINLASS_HOME/postgres" ]]; then
    _einlass_log "user postgres cannot enter $EINLASS_HOME; keeping the cluster in $_EINLASS_PG_BASE"
  fi
  if [[ "$(id -u)" -eq 0 ]]; then
    chown postgres: "$_EINLASS_PG_BASE" "$_EINLASS_PG_SOCK"
    [[ -d "$_EINLASS_PG_DATA" ]] && chown -R postgres: "$_EINLASS_PG_DATA"
  fi
  chmod 700 "$_EINLASS_PG_SOCK"

  if _einlass_pg_run "$bindir/pg_ctl" -D "$_EINLASS_PG_DATA" status >/dev/null 2>&1; then
    if _einlass_pg_up 127.0.0.1 "$port"; then
      _einlass_log "project-local PostgreSQL already running on 127.0.0.1:$port ($_EINLASS_PG_DATA)"
      return 0
    fi
    _einlass_log "project-local PostgreSQL running but not on port $port; restarting"
    _einlass_pg_run "$bindir/pg_ctl" -D "$_EINLASS_PG_DATA" -m fast -w stop >/dev/null || return 1
  fi

  if [[ ! -s "$_EINLASS_PG_DATA/PG_VERSION" ]]; then
    _einlass_log "initdb project-local PostgreSQL cluster in $_EINLASS_PG_DATA"
    rm -rf "$_EINLASS_PG_DATA"
    if ! _einlass_pg_run "$bindir/initdb" -D "$_EINLASS_PG_DATA" -U postgres -A trust \
      -E UTF8 --locale=C.UTF-8 >"$_EINLASS_PG_BASE/initdb.log" 2>&1; then
      _einlass_err "initdb failed; see $_EINLASS_PG_BASE/initdb.log:"
      tail -n 20 "$_EINLASS_PG_BASE/initdb.log" >&2
      return 1
    fi
    printf "\ninclude_if_exists = 'einlass.conf'\n" |
      _einlass_pg_run tee -a "$_EINLASS_PG_DATA/postgresql.conf" >/dev/null
  fi
  # rewritten at every start so port / socket dir changes take effect
  printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n" \
    "$port" "$_EINLASS_PG_SOCK" | _einlass_pg_run tee "$_EINLASS_PG_DATA/einlass.conf" >/dev/null

  if _einlass_tcp_open 127.0.0.1 "$port"; then
    _einlass_err "port 127.0.0.1:$port is taken by something else; set EINLASS_LOCAL_PG_PORT"
    return 1
  fi
  _einlass_log "starting project-local PostgreSQL on 127.0.0.1:$port"
  touch "$_EINLASS_PG_LOG"
  [[ "$(id -u)" -eq 0 ]] && chown postgres: "$_EINLASS_PG_LOG"
  if ! _einlass_pg_run "$bindir/pg_ctl" -D "$_EINLASS_PG_DATA" -l "$_EINLASS_PG_LOG" \
    -w -t 60 start >/dev/null; then
    _einlass_err "PostgreSQL failed to start; tail of $_EINLASS_PG_LOG:"
    tail -n 20 "$_EINLASS_PG_LOG" >&2
    return 1
  fi
}

einlass_local_pg_stop() {
  local bindir
  _einlass_local_pg_paths
  [[ -d "$_EINLASS_PG_DATA" ]] || return 0
  bindir="$(_einlass_pg_bindir)" || return 0
  if _einlass_pg_run "$bindir/pg_ctl" -D "$_EINLASS_PG_DATA" status >/dev/null 2>&1; then
    _einlass_log "stopping project-local PostgreSQL ($_EINLASS_PG_DATA)"
    _einlass_pg_run "$bindir/pg_ctl" -D "$_EINLASS_PG_DATA" -m fast -w stop >/dev/null
  else
    _einlass_log "project-local PostgreSQL not running"
  fi
}

# project-local Redis ------------------------------------------------------
_einlass_local_redis_pid() {
  local pidfile="$EINLASS_HOME/redis/redis.pid" pid
  [[ -s "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    grep -q redis "/proc/$pid/cmdline" 2>/dev/null && printf '%s\n' "$pid"
}

einlass_local_redis_start() {
  local port="${EINLASS_LOCAL_REDIS_PORT:-56379}" dir="$EINLASS_HOME/redis" i
  if _einlass_local_redis_pid >/dev/null && _einlass_redis_up 127.0.0.1 "$port"; then
    _einlass_log "project-local Redis already running on 127.0.0.1:$port"
    return 0
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    _einlass_log "redis-server not found"
    einlass_apt_install redis-server || return 1
  fi
  if _einlass_tcp_open 127.0.0.1 "$port"; then
    _einlass_err "port 127.0.0.1:$port is taken by something else; set EINLASS_LOCAL_REDIS_PORT"
    return 1
  fi
  mkdir -p "$dir"
  _einlass_log "starting project-local Redis on 127.0.0.1:$port"
  (cd "$dir" && redis-server --port "$port" --bind 127.0.0.1 \
    --appendonly yes --maxmemory-policy noeviction \
    --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log") >/dev/null || {
    _einlass_err "redis-server failed to start; see $dir/redis.log"
    return 1
  }
  for ((i = 0; i < 50; i++)); do
    _einlass_redis_up 127.0.0.1 "$port" && return 0
    sleep 0.2
  done
  _einlass_err "Redis did not answer on 127.0.0.1:$port; tail of $dir/redis.log:"
  tail -n 20 "$dir/redis.log" >&2 2>/dev/null
  return 1
}

einlass_local_redis_stop() {
  local pid i
  if ! pid="$(_einlass_local_redis_pid)"; then
    _einlass_log "project-local Redis not running"
    return 0
  fi
  _einlass_log "stopping project-local Redis (pid $pid)"
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  _einlass_err "Redis pid $pid did not stop"
  return 1
}

# main ---------------------------------------------------------------------
_einlass_ensure_postgres() {
  local db="${EINLASS_DB_NAME:-einlass}" probe="${EINLASS_PG_PORT_PROBE:-5432}"
  local url port
  if [[ -n "${DATABASE_URL:-}" ]]; then
    _einlass_log "PostgreSQL: using DATABASE_URL from the environment ($(_einlass_redact "$DATABASE_URL"))"
    einlass_pg_ensure_db "$DATABASE_URL" || {
      _einlass_err "DATABASE_URL is set but not usable; fix it or unset it to let infra.sh provide one"
      return 1
    }
    export EINLASS_PG_MODE="env"
    export DATABASE_URL
    return 0
  fi
  if _einlass_pg_up 127.0.0.1 "$probe"; then
    url="postgres://postgres@127.0.0.1:$probe/$db"
    _einlass_need_psql || return 1
    if _einlass_psql "$(einlass_url_with_db "$url" postgres)" -c 'select 1' >/dev/null 2>&1 ||
      _einlass_psql "$url" -c 'select 1' >/dev/null 2>&1; then
      einlass_pg_ensure_db "$url" || return 1
      _einlass_log "PostgreSQL: using the server on 127.0.0.1:$probe (database $db)"
      export EINLASS_PG_MODE="system"
      export DATABASE_URL="$url"
      return 0
    fi
    _einlass_log "PostgreSQL on 127.0.0.1:$probe does not let user postgres in without a password; using a project-local one"
  else
    _einlass_log "PostgreSQL: nothing on 127.0.0.1:$probe; using a project-local server"
  fi
  port="${EINLASS_LOCAL_PG_PORT:-55432}"
  einlass_local_pg_start || return 1
  url="postgres://postgres@127.0.0.1:$port/$db"
  einlass_pg_ensure_db "$url" || return 1
  _einlass_log "PostgreSQL: project-local server on 127.0.0.1:$port (database $db)"
  export EINLASS_PG_MODE="local"
  export DATABASE_URL="$url"
}

_einlass_ensure_redis() {
  local probe="${EINLASS_REDIS_PORT_PROBE:-6379}" port
  if [[ -n "${REDIS_URL:-}" ]]; then
    _einlass_log "Redis: using REDIS_URL from the environment ($(_einlass_redact "$REDIS_URL"))"
    if ! _einlass_redis_url_ok "$REDIS_URL"; then
      _einlass_err "REDIS_URL is set but Redis does not answer there; fix it or unset it to let infra.sh provide one"
      return 1
    fi
    export EINLASS_REDIS_MODE="env"
    export REDIS_URL
    return 0
  fi
  if _einlass_redis_up 127.0.0.1 "$probe"; then
    _einlass_log "Redis: using the server on 127.0.0.1:$probe"
    export EINLASS_REDIS_MODE="system"
    export REDIS_URL="redis://127.0.0.1:$probe"
    return 0
  fi
  if _einlass_tcp_open 127.0.0.1 "$probe"; then
    _einlass_log "Redis on 127.0.0.1:$probe does not answer PING without auth; using a project-local one"
  else
    _einlass_log "Redis: nothing on 127.0.0.1:$probe; using a project-local server"
  fi
  port="${EINLASS_LOCAL_REDIS_PORT:-56379}"
  einlass_local_redis_start || return 1
  export EINLASS_REDIS_MODE="local"
  export REDIS_URL="redis://127.0.0.1:$port"
}

# einlass_infra_up : ensure both, export DATABASE_URL and REDIS_URL
einlass_infra_up() {
  _einlass_ensure_postgres || return 1
  _einlass_ensure_redis || return 1
}

einlass_infra_stop() {
  local rc=0
  einlass_local_pg_stop || rc=1
  einlass_local_redis_stop || rc=1
  return "$rc"
}

einlass_infra_status() {
  local bindir
  _einlass_local_pg_paths
  if [[ -d "$_EINLASS_PG_DATA" ]] && bindir="$(_einlass_pg_bindir)" &&
    _einlass_pg_run "$bindir/pg_ctl" -D "$_EINLASS_PG_DATA" status >/dev/null 2>&1; then
    echo "project-local PostgreSQL: running ($_EINLASS_PG_DATA)"
  else
    echo "project-local PostgreSQL: not running"
  fi
  if _einlass_local_redis_pid >/dev/null; then
    echo "project-local Redis: running (pid $(_einlass_local_redis_pid))"
  else
    echo "project-local Redis: not running"
  fi
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # sourced
  if [[ -z "${EINLASS_INFRA_SOURCE_ONLY:-}" ]]; then
    einlass_infra_up || return 1
  fi
else
  set -uo pipefail
  case "${1:-up}" in
    up | env)
      einlass_infra_up || exit 1
      printf 'export DATABASE_URL=%q\nexport REDIS_URL=%q\n' "$DATABASE_URL" "$REDIS_URL"
      ;;
    stop) einlass_infra_stop ;;
    status) einlass_infra_status ;;
    *)
      echo "usage: source scripts/infra.sh | bash scripts/infra.sh [up|env|stop|status]" >&2
      exit 2
      ;;
  esac
fi
