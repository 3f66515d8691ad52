#!/usr/bin/env bash
# A local certificate authority and a server certificate for this machine, so that phones on the
# same network can open the scanner page over HTTPS (the camera and the offline signature check
# need it). Used by `npm run up -- --https`; also callable on its own:
#   bash scripts/tls.sh DIR [NAME_OR_ADDRESS ...]
# DIR receives ca.crt + ca.key (the authority, made once and kept: phones that trust it keep
# trusting it) and server.crt + server.key, for localhost, 127.0.0.1, ::1, this host's name, its
# LAN addresses and the names given. The server certificate is made again when those names change
# or it has less than 30 days left. Needs openssl.

# einlass_tls_ensure DIR [NAME ...] : makes or reuses the files; prints nothing on success but
# what it did (to stderr)
einlass_tls_ensure() {
  local dir="$1"
  shift
  command -v openssl >/dev/null 2>&1 || {
    printf 'tls: openssl is needed for --https (apt-get install openssl)\n' >&2
    return 1
  }
  mkdir -p "$dir"
  chmod 700 "$dir"

  # the names the certificate must cover, sorted, one per line
  local names=() name
  names+=("DNS:localhost" "IP:127.0.0.1" "IP:::1")
  local host
  host="$(hostname 2>/dev/null || true)"
  [[ -n "$host" && "$host" != "localhost" ]] && names+=("DNS:$host")
  local address
  for address in $(hostname -I 2>/dev/null || true); do
    [[ "$address" == *:* && "$address" == fe80* ]] && continue # link-local IPv6: not reachable by name
    names+=("IP:$address")
  done
  for name in "$@"; do
    if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then names+=("IP:$name"); else names+=("DNS:$name"); fi
  done
  local wanted
  wanted="$(printf '%s\n' "${names[@]}" | sort -u)"

  if [[ ! -s "$dir/ca.crt" || ! -s "$dir/ca.key" ]]; then
    printf 'tls: making a local certificate authority in %s\n' "$dir" >&2
    (
      umask 077
      openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
        -keyout "$dir/ca.key" -out "$dir/ca.crt" -days 3650 \
        -subj "/O=Einlass/CN=Einlass local CA ${host:-this machine} $(date +%Y-%m-%d)" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    ) || return 1
    chmod 644 "$dir/ca.crt" # public: phones download it
    rm -f "$dir/server.crt" "$dir/server.key" "$dir/server.names"
  fi

  if [[ -s "$dir/server.crt" && -s "$dir/server.key" && -s "$dir/server.names" ]] &&
    [[ "$(cat "$dir/server.names")" == "$wanted" ]] &&
    openssl x509 -in "$dir/server.crt" -noout -checkend $((30 * 86400)) >/dev/null 2>&1; then
    return 0
  fi
  printf 'tls: making a server certificate for %s\n' "$(printf '%s ' $wanted)" >&2
  local san
  san="$(printf '%s\n' "$wanted" | paste -sd, -)"
  (
    umask 077
    openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -keyout "$dir/server.key" -out "$dir/server.csr" -subj "/O=Einlass/CN=${host:-einlass}" 2>/dev/null &&
      # 397 days: the longest validity browsers accept for a server certificate
      openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
        -CAcreateserial -out "$dir/server.crt" -days 397 -extfile <(
          printf 'subjectAltName=%s\n' "$san"
          printf 'basicConstraints=critical,CA:FALSE\n'
          printf 'keyUsage=critical,digitalSignature\n'
          printf 'extendedKeyUsage=serverAuth\n'
        ) 2>/dev/null
  ) || return 1
  rm -f "$dir/server.csr"
  chmod 644 "$dir/server.crt"
  printf '%s\n' "$wanted" >"$dir/server.names"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  [[ $# -ge 1 ]] || {
    printf 'usage: bash scripts/tls.sh DIR [NAME_OR_ADDRESS ...]\n' >&2
    exit 2
  }
  einlass_tls_ensure "$@"
fi
