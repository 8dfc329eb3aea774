#!/usr/bin/env bash
# What the README promises of `pnpm start`: all three services ready within 60 s, docs served, an unknown
# route answered with a problem document, request counters in /metrics, and everything stopped within
# 10 s of SIGINT. Runs the built code (`pnpm build` first).
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
node scripts/start.mjs --raw-logs >"$log" 2>&1 &
pid=$!
trap 'kill -KILL $pid 2>/dev/null || true' EXIT

deadline=$((SECONDS + 60))
for port in 3000 3001 3002; do
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do
    if ((SECONDS >= deadline)) || ! kill -0 $pid 2>/dev/null; then
      echo "service on port $port not ready within 60 s" >&2; tail -50 "$log" >&2; exit 1
    fi
    sleep 0.5
  done
done
echo "ready: 3000 3001 3002 after ${SECONDS}s"

for port in 3000 3001 3002; do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/docs")" == 200 ]] || { echo "/docs not served on $port" >&2; exit 1; }
  body="$(curl -s "http://127.0.0.1:$port/no-such-route")"
  grep -q '"status":404' <<<"$body" && grep -q '"requestId"' <<<"$body" || { echo "no 404 problem on $port: $body" >&2; exit 1; }
  curl -s "http://127.0.0.1:$port/metrics" | grep -q '^http_requests_total' || { echo "no request counters on $port" >&2; exit 1; }
done
echo "docs, 404 problem documents and metrics: ok"

kill -INT $pid
start=$SECONDS
while kill -0 $pid 2>/dev/null; do
  if ((SECONDS - start > 10)); then echo "processes still running 10 s after SIGINT" >&2; exit 1; fi
  sleep 0.2
done
wait $pid || { echo "pnpm start exited non-zero after SIGINT" >&2; tail -30 "$log" >&2; exit 1; }
if pgrep -f "services/.*/dist/(main|worker).js" >/dev/null; then echo "a service process survived SIGINT" >&2; exit 1; fi
echo "stopped within $((SECONDS - start)) s of SIGINT"
