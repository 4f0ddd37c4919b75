#!/usr/bin/env bash
# Runs examples/prove-and-verify.ts (the generated client only) against a freshly
# built server on a throw-away embedded database. Needs `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
PORT=$port HOST=127.0.0.1 ZKVM_DATA_DIR="$dir" LOG_LEVEL=warn SRS_MAX_VARS=16 DEFAULT_SEGMENT_SIZE_LOG2=5 \
  node dist/main.js >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
  sleep 0.5
done
key=$(grep -o 'zkvm_[A-Za-z0-9_-]\{43\}' "$dir/server.log" | head -1)
if [ -z "$key" ]; then cat "$dir/server.log"; echo "no API key printed at first start" >&2; exit 1; fi
ZKVM_URL="http://127.0.0.1:$port" ZKVM_API_KEY="$key" node -r @swc-node/register examples/prove-and-verify.ts
