#!/bin/sh
# Einlass container entrypoint: the first argument picks what to run.
#   registration | badges | checkin   start that service (node on the built file)
#   migrate                           run all migrations (npm run migrate), then exit
#   seed                              load the sample congress if empty (npm run seed), then exit
#   anything else                     executed as a command (e.g. `sh`)
set -eu

# Where `npm run build` puts each service's entry file ({name} = service name).
MAIN_TEMPLATE='dist/apps/{name}/apps/{name}/src/main.js'

cd /app
cmd="${1:-}"
[ "$#" -gt 0 ] && shift

case "$cmd" in
  registration | badges | checkin)
    main="$(printf '%s' "$MAIN_TEMPLATE" | sed "s/{name}/$cmd/g")"
    if [ ! -f "$main" ]; then
      echo "entrypoint: $main not found in the image" >&2
      exit 1
    fi
    exec node "$main" "$@"
    ;;
  migrate | seed)
    exec npm run --silent "$cmd" -- "$@"
    ;;
  "" | -h | --help | help)
    echo "usage: <image> registration|badges|checkin|migrate|seed" >&2
    exit 2
    ;;
  *)
    exec "$cmd" "$@"
    ;;
esac
