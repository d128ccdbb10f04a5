# Sourced by run.sh and test.sh: starts Azurite (pinned in package.json) on loopback, on free
# ports, with a throw-away data folder, and stops it whatever happens.
# After azurite_start: AZURITE_CONNECTION_STRING is exported.

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

ensure_node_modules() {
  local root=$1
  if [ ! -x "$root/node_modules/.bin/azurite" ]; then
    echo "Installing Azurite (npm ci)..." >&2
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

azurite_start() {
  local root=$1
  ensure_node_modules "$root"
  # AZURITE_LOCATION keeps the data (run.sh); otherwise a throw-away folder, removed by azurite_stop.
  if [ -n "${AZURITE_LOCATION:-}" ]; then
    AZURITE_DIR="$AZURITE_LOCATION" AZURITE_KEEP=true
  else
    AZURITE_DIR=$(mktemp -d -t azurite.XXXXXX) AZURITE_KEEP=false
  fi
  local blob_port queue_port table_port
  blob_port=$(free_port); queue_port=$(free_port); table_port=$(free_port)
  "$root/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose \
    --location "$AZURITE_DIR" \
    --blobHost 127.0.0.1 --blobPort "$blob_port" \
    --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --tableHost 127.0.0.1 --tablePort "$table_port" \
    >"$AZURITE_DIR/azurite.log" 2>&1 </dev/null &
  AZURITE_PID=$!
  local tries=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$blob_port") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$queue_port") 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ] || ! kill -0 "$AZURITE_PID" 2>/dev/null; then
      echo "Azurite did not start; its log:" >&2
      cat "$AZURITE_DIR/azurite.log" >&2
      return 1
    fi
    sleep 0.1
  done
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
  echo "Azurite on 127.0.0.1 (blob $blob_port, queue $queue_port), data in $AZURITE_DIR" >&2
}

azurite_stop() {
  if [ -n "${AZURITE_PID:-}" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    # Azurite ignores SIGTERM for a while: give it a moment, then kill it.
    for _ in $(seq 1 30); do kill -0 "$AZURITE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
  if [ "${AZURITE_KEEP:-false}" = false ] && [ -n "${AZURITE_DIR:-}" ]; then rm -rf "$AZURITE_DIR"; fi
  AZURITE_PID=
}
