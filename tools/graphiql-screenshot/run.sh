#!/usr/bin/env bash
# Screenshot of GraphiQL's first Run on a running demo server (make run):
#   tools/graphiql-screenshot/run.sh http://127.0.0.1:8080/ docs/graphiql-first-run.png
# Needs Debian's chromium (apt-get install -y chromium) and node >= 20.
set -euo pipefail
url=${1:-http://127.0.0.1:8080/}
out=${2:-docs/graphiql-first-run.png}
port=9339
profile=$(mktemp -d)
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" \
  --remote-debugging-address=127.0.0.1 --remote-debugging-port=$port about:blank >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$profile"' EXIT
for _ in $(seq 50); do curl -fs http://127.0.0.1:$port/json/version >/dev/null && break; sleep 0.2; done
node --experimental-websocket "$(dirname "$0")/shot.mjs" $port "$url" "$out"
