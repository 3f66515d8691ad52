#!/usr/bin/env bash
# Einlass test run:  npm test [-- jest args]   (= bash scripts/test.sh [jest args])
# Installs what is missing (node_modules, pdftoppm, zbarimg, chromium, openssl, caddy), provides
# PostgreSQL + Redis (scripts/infra.sh), points the tests at a separate database
# einlass_test and Redis db 1, builds (the e2e suites spawn the built services)
# and runs jest in band.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf 'test: %s\n' "$*" >&2; }
die() {
  printf 'test: ERROR: %s\n' "$*" >&2
  exit 1
}

# functions only; infra is brought up below
# shellcheck source=scripts/infra.sh
EINLASS_INFRA_SOURCE_ONLY=1 source "$ROOT/scripts/infra.sh"

# 1. dependencies -------------------------------------------------------------
if [[ ! -d node_modules || ! -f node_modules/.package-lock.json ||
  package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# 2. OS tools the tests use ---------------------------------------------------
# ensure_tool COMMAND DEBIAN_PACKAGE
ensure_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  say "$1 not found; installing $2"
  einlass_apt_install "$2" || return 1
  command -v "$1" >/dev/null 2>&1
}

ensure_os_tools() {
  ensure_tool pdftoppm poppler-utils ||
    die "pdftoppm is needed (badge PDF tests); install poppler-utils"
  ensure_tool zbarimg zbar-tools ||
    die "zbarimg is needed (QR code tests); install zbar-tools"
  ensure_tool redis-server redis-server ||
    die "redis-server is needed (the outage test runs a Redis of its own); install redis-server"
  ensure_tool chromium chromium ||
    die "chromium is needed (scanner page browser tests); install the Debian package chromium"
  export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
  ensure_tool openssl openssl ||
    die "openssl is needed (the HTTPS tests make a local certificate authority); install openssl"
  ensure_tool caddy caddy ||
    die "caddy is needed (the reverse-proxy test runs docker/Caddyfile); install the Debian package caddy"
}
ensure_os_tools

# 3. PostgreSQL + Redis, separate test database --------------------------------
einlass_infra_up || die "PostgreSQL/Redis not available (see above)"

# benchmarks get a database of their own: a test run's set-up drops the test schemas
test_db=einlass_test
[[ "${1:-}" == "--bench" ]] && test_db=einlass_bench
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-$(einlass_url_with_db "$DATABASE_URL" "$test_db")}"
einlass_pg_ensure_db "$TEST_DATABASE_URL" || die "cannot prepare the test database"
if [[ -z "${TEST_REDIS_URL:-}" ]]; then
  # same server, logical database 1, unless REDIS_URL already names a database
  if [[ "${REDIS_URL#*://}" =~ /[0-9]+$ ]]; then
    TEST_REDIS_URL="$REDIS_URL"
  else
    TEST_REDIS_URL="${REDIS_URL%/}/1"
  fi
fi
export TEST_REDIS_URL
# anything that reads the plain names must hit the test stores, never the dev ones
export DATABASE_URL="$TEST_DATABASE_URL"
export REDIS_URL="$TEST_REDIS_URL"
export QUEUE_PREFIX="${QUEUE_PREFIX:-einlass_test}"
export ORGANISER_TOKEN="${ORGANISER_TOKEN:-test-organiser-token-0123456789}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
say "tests use $(_einlass_redact "$TEST_DATABASE_URL") and $(_einlass_redact "$TEST_REDIS_URL")"

# 4. build + jest (or the benchmarks: npm run bench = scripts/test.sh --bench) ---
say "building (npm run build)"
npm run build
if [[ "${1:-}" == "--bench" ]]; then
  shift
  benches=("$@")
  [[ ${#benches[@]} -eq 0 ]] && benches=(bench/*.bench.ts)
  status=0
  for file in "${benches[@]}"; do
    say "benchmark $file"
    node -r ts-node/register/transpile-only -r tsconfig-paths/register "$file" || status=$?
  done
  exit "$status"
fi
say "running jest --runInBand $*"
# In band, everything a test leaves open keeps jest's own process alive after the last suite;
# --forceExit ends it anyway (libs/testing/src/global-teardown.ts reports what was left).
exec npx --no-install jest --runInBand --forceExit "$@"
