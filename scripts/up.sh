#!/usr/bin/env bash
# Einlass: one command from a fresh checkout to three running services.
#   npm run up            (= bash scripts/up.sh)
# Installs dependencies if needed, provides PostgreSQL + Redis (scripts/infra.sh),
# builds, migrates, starts registration/badges/checkin in the background
# (logs in .einlass/logs/), seeds the sample congress, prints where to go,
# and stays in the foreground until Ctrl-C, which stops the three services.
set -euo pipefail

# --https (or EINLASS_HTTPS=1): serve HTTPS with a local certificate authority (scripts/tls.sh),
# so that phones on the network can use the scanner page's camera and offline check.
HTTPS="${EINLASS_HTTPS:-0}"
for arg in "$@"; do
  case "$arg" in
    --https) HTTPS=1 ;;
    -h | --help)
      printf 'usage: npm run up [-- --https]
'
      exit 0
      ;;
    *)
      printf 'up: unknown option %s (try --https)\n' "$arg" >&2
      exit 2
      ;;
  esac
done

# Where `npm run build` puts each service's entry file ({name} = service name).
MAIN_TEMPLATE='dist/apps/{name}/apps/{name}/src/main.js'
SERVICES=(registration badges checkin)
HEALTH_TIMEOUT="${EINLASS_HEALTH_TIMEOUT:-90}" # seconds per service

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STATE="$ROOT/.einlass"
RUN_DIR="$STATE/run"
LOG_DIR="$STATE/logs"
mkdir -p "$RUN_DIR" "$LOG_DIR"

say() { printf 'up: %s\n' "$*" >&2; }
die() {
  printf 'up: ERROR: %s\n' "$*" >&2
  exit 1
}

main_of() { printf '%s\n' "${MAIN_TEMPLATE//\{name\}/$1}"; }

port_of() {
  case "$1" in
    registration) printf '%s\n' "$REGISTRATION_PORT" ;;
    badges) printf '%s\n' "$BADGES_PORT" ;;
    checkin) printf '%s\n' "$CHECKIN_PORT" ;;
  esac
}

# http_ok URL : 2xx within 3 s (curl when present, else node's fetch; HTTPS trusting TLS_CA_FILE)
http_ok() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null -m 3 ${TLS_CA_FILE:+--cacert "$TLS_CA_FILE"} "$1" 2>/dev/null
  else
    NODE_EXTRA_CA_CERTS="${TLS_CA_FILE:-}" node -e 'fetch(process.argv[1],{signal:AbortSignal.timeout(3000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$1"
  fi
}

# pid of a service we started earlier (pid file + still our node process), or fail
running_pid() {
  local f="$RUN_DIR/$1.pid" pid
  [[ -s "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$(main_of "$1")" || return 1
  printf '%s\n' "$pid"
}

stop_service() {
  local svc="$1" pid i
  if pid="$(running_pid "$svc")"; then
    say "stopping $svc (pid $pid)"
    # each service runs in its own process group (setsid): signal the group
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "$svc did not stop in 10 s; killing"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$RUN_DIR/$svc.pid"
}

stop_all() {
  local svc
  for svc in "${SERVICES[@]}"; do
    stop_service "$svc"
  done
}

# 1. dependencies -------------------------------------------------------------
if [[ ! -d node_modules || ! -f node_modules/.package-lock.json ||
  package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# 2. PostgreSQL + Redis -------------------------------------------------------
# shellcheck source=scripts/infra.sh
source "$ROOT/scripts/infra.sh"

# 3. environment --------------------------------------------------------------
export REGISTRATION_PORT="${REGISTRATION_PORT:-3001}"
export BADGES_PORT="${BADGES_PORT:-3002}"
export CHECKIN_PORT="${CHECKIN_PORT:-3003}"
export QUEUE_PREFIX="${QUEUE_PREFIX:-einlass}"
export LOG_LEVEL="${LOG_LEVEL:-info}"
export LOG_PRETTY="${LOG_PRETTY:-true}"
SCHEME=http
if [[ "$HTTPS" == 1 ]]; then
  # shellcheck source=scripts/tls.sh
  source "$ROOT/scripts/tls.sh"
  einlass_tls_ensure "$STATE/tls" || die "could not make the HTTPS certificates (see above)"
  export TLS_CERT_FILE="$STATE/tls/server.crt" TLS_KEY_FILE="$STATE/tls/server.key"
  export TLS_CA_FILE="$STATE/tls/ca.crt"
  # the services (and the seed) call each other over HTTPS: they trust the local authority
  export NODE_EXTRA_CA_CERTS="$TLS_CA_FILE"
  SCHEME=https
fi
export REGISTRATION_URL="${REGISTRATION_URL:-$SCHEME://127.0.0.1:$REGISTRATION_PORT}"
export BADGES_URL="${BADGES_URL:-$SCHEME://127.0.0.1:$BADGES_PORT}"
export CHECKIN_URL="${CHECKIN_URL:-$SCHEME://127.0.0.1:$CHECKIN_PORT}"

TOKEN_FILE="$STATE/organiser-token"
if [[ -n "${ORGANISER_TOKEN:-}" ]]; then
  say "organiser token: from ORGANISER_TOKEN"
else
  if [[ ! -s "$TOKEN_FILE" ]]; then
    say "organiser token: generating $TOKEN_FILE"
    (
      umask 077
      if command -v openssl >/dev/null 2>&1; then
        openssl rand -hex 24
      else
        node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))'
      fi >"$TOKEN_FILE"
    )
  else
    say "organiser token: from $TOKEN_FILE"
  fi
  ORGANISER_TOKEN="$(tr -d '[:space:]' <"$TOKEN_FILE")"
fi
export ORGANISER_TOKEN
((${#ORGANISER_TOKEN} >= 16)) || die "ORGANISER_TOKEN must be at least 16 characters"

# 4. leftovers from an earlier run --------------------------------------------
stop_all

# 5. build + migrate ----------------------------------------------------------
say "building (npm run build)"
npm run build
for svc in "${SERVICES[@]}"; do
  [[ -f "$(main_of "$svc")" ]] ||
    die "build output $(main_of "$svc") not found; fix MAIN_TEMPLATE at the top of scripts/up.sh"
done
say "migrating (npm run migrate)"
npm run migrate

# 6. start --------------------------------------------------------------------
for svc in "${SERVICES[@]}"; do
  port="$(port_of "$svc")"
  if http_ok "$SCHEME://127.0.0.1:$port/health" ||
    { command -v ss >/dev/null 2>&1 && ss -Hltn "sport = :$port" | grep -q .; }; then
    die "port $port (for $svc) is already in use by another process"
  fi
done

trap 'trap - EXIT INT TERM; echo >&2; stop_all; exit 130' INT TERM
trap 'stop_all' EXIT

for svc in "${SERVICES[@]}"; do
  log="$LOG_DIR/$svc.log"
  say "starting $svc on :$(port_of "$svc") (log: ${log#"$ROOT"/})"
  {
    printf '\n===== %s start %s =====\n' "$svc" "$(date -Is)"
  } >>"$log"
  setsid node "$(main_of "$svc")" >>"$log" 2>&1 </dev/null &
  echo "$!" >"$RUN_DIR/$svc.pid"
done

for svc in "${SERVICES[@]}"; do
  port="$(port_of "$svc")"
  log="$LOG_DIR/$svc.log"
  deadline=$((SECONDS + HEALTH_TIMEOUT))
  until http_ok "$SCHEME://127.0.0.1:$port/health"; do
    if ! running_pid "$svc" >/dev/null; then
      say "$svc exited during start-up; last lines of ${log#"$ROOT"/}:"
      tail -n 40 "$log" >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      say "$svc not healthy after ${HEALTH_TIMEOUT}s; last lines of ${log#"$ROOT"/}:"
      tail -n 40 "$log" >&2
      exit 1
    fi
    sleep 0.5
  done
  say "$svc healthy"
done

# 7. seed ---------------------------------------------------------------------
say "seeding (npm run seed)"
npm run seed

# 8. banner -------------------------------------------------------------------
HOSTNAME_SHOWN=localhost
PHONES=""
if [[ "$HTTPS" == 1 ]]; then
  lan="$(hostname -I 2>/dev/null | awk '{print $1}')"
  [[ -n "$lan" ]] && HOSTNAME_SHOWN="$lan"
  PHONES="
   HTTPS with a local certificate authority (.einlass/tls/ca.crt). On each phone:
     1. open $SCHEME://$HOSTNAME_SHOWN:$CHECKIN_PORT/einlass-ca.crt (accept the warning once;
        the organisers' set-up page shows it as a QR code) and install the certificate:
        Android: Settings > Security > Encryption & credentials > Install a certificate > CA
        iPhone:  Settings > General > VPN & Device Management > install the profile, then
                 Settings > General > About > Certificate Trust Settings > turn it on
     2. open $SCHEME://$HOSTNAME_SHOWN:$CHECKIN_PORT/scan
"
fi
cat <<EOF

  ============================================================
   Einlass is running
  ============================================================
   Organisers    $SCHEME://$HOSTNAME_SHOWN:$CHECKIN_PORT/dashboard   <- start here
   Scanner page  $SCHEME://$HOSTNAME_SHOWN:$CHECKIN_PORT/scan
                 (both: sign in with the organiser token below)
$PHONES
   APIs
   Registration  $SCHEME://$HOSTNAME_SHOWN:$REGISTRATION_PORT
   Badges        $SCHEME://$HOSTNAME_SHOWN:$BADGES_PORT
   Check-in      $SCHEME://$HOSTNAME_SHOWN:$CHECKIN_PORT

   Organiser token: $ORGANISER_TOKEN
     (kept in ${TOKEN_FILE#"$ROOT"/} unless ORGANISER_TOKEN was set)

   The sample congress is loaded as event "tegk-2023". Try:
     curl -s ${TLS_CA_FILE:+--cacert .einlass/tls/ca.crt }-H "Authorization: Bearer $ORGANISER_TOKEN" \\
       "$SCHEME://localhost:$REGISTRATION_PORT/api/events/tegk-2023/attendees?q=muller"
     curl -s ${TLS_CA_FILE:+--cacert .einlass/tls/ca.crt }-H "Authorization: Bearer $ORGANISER_TOKEN" \\
       $SCHEME://localhost:$CHECKIN_PORT/api/events/tegk-2023/attendance

   Logs:     .einlass/logs/{registration,badges,checkin}.log
   Database: $(_einlass_redact "$DATABASE_URL")
   Redis:    $REDIS_URL
   Stop:     Ctrl-C
  ============================================================

EOF

# 9. stay in the foreground ---------------------------------------------------
while true; do
  for svc in "${SERVICES[@]}"; do
    if ! running_pid "$svc" >/dev/null; then
      say "$svc stopped unexpectedly; last lines of .einlass/logs/$svc.log:"
      tail -n 40 "$LOG_DIR/$svc.log" >&2
      exit 1
    fi
  done
  sleep 2
done
