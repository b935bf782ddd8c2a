#!/usr/bin/env bash
# supervise.sh PARENT_PID COMMAND [ARGS...]
# Runs COMMAND and stops it when PARENT_PID goes away, so that an emulator never outlives a test
# run that was aborted or killed. SIGTERM to this script stops COMMAND cleanly too.
set -u
parent=$1
shift
"$@" &
child=$!
stop() {
  kill -TERM "$child" 2>/dev/null
  wait "$child" 2>/dev/null
  exit 0
}
trap stop TERM INT HUP
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do
  sleep 0.5 &
  wait $!
done
if kill -0 "$child" 2>/dev/null; then
  stop
fi
wait "$child"
