#!/usr/bin/env bash
# Starts a throw-away redis-server for the Redis response-cache tests: no persistence, loopback only, on the given
# port; prints nothing and exits 0 once it answers PING, or exits 3 when redis-server is not installed.
#   redis-test-server.sh start PORT      redis-test-server.sh stop PORT
set -euo pipefail
cmd=${1:?start or stop}; port=${2:?port}
command -v redis-server > /dev/null || { echo "redis-server is not installed (Debian: apt-get install -y redis-server)" >&2; exit 3; }
case "$cmd" in
  start)
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "/tmp/promptkit-redis-$port.pid" --logfile "/tmp/promptkit-redis-$port.log" > /dev/null
    for _ in $(seq 1 100); do
      if redis-cli -p "$port" ping 2> /dev/null | grep -q PONG; then exit 0; fi
      sleep 0.05
    done
    echo "redis-server did not answer on port $port; see /tmp/promptkit-redis-$port.log" >&2; exit 1 ;;
  stop)
    redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true ;;
esac
