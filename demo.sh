#!/usr/bin/env bash
# Starts a local gossip cluster: two greeters and a frontend on 127.0.0.1, shows load-balanced
# calls spreading across both greeters, and stops everything on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"

JAR=sample-app/target/sample-app.jar
LOGS=target/demo
mkdir -p "$LOGS"

echo "==> Building the sample app (first run downloads Maven and dependencies)"
./mvnw -B -q -pl sample-app -am package -DskipTests

# GET a local URL path and print the body; plain bash (/dev/tcp), so curl is not required.
http_get() { # port path
  local body
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
  body=$(cat <&3) || true
  exec 3<&-
  case "$body" in
    "HTTP/1."?" 2"*) printf '%s' "${body#*$'\r\n\r\n'}" ;;
    *) return 1 ;;
  esac
}

pids=()
cleanup() {
  trap - INT TERM EXIT
  if [ "${#pids[@]}" -gt 0 ]; then
    echo
    echo "==> Stopping ${#pids[@]} processes (graceful leave, then exit)"
    kill "${pids[@]}" 2>/dev/null || true
    for i in $(seq 1 30); do
      alive=0
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
      [ "$alive" -eq 0 ] && break
      sleep 0.5
    done
    kill -9 "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
  fi
  echo "==> All stopped"
}
trap cleanup INT TERM EXIT

start() { # name profile http-port gossip-port zone [more args]
  local name=$1 profile=$2 http=$3 gossip=$4 zone=$5
  shift 5
  java -jar "$JAR" --spring.profiles.active="$profile" --server.port="$http" \
    --spring.cloud.gossip.node-name="$name" --spring.cloud.gossip.bind-port="$gossip" \
    --spring.cloud.gossip.seeds=127.0.0.1:7946 --spring.cloud.gossip.discovery.zone="$zone" \
    --spring.cloud.gossip.dashboard.enabled=true "$@" \
    > "$LOGS/$name.log" 2>&1 &
  pids+=($!)
  echo "    $name ($profile) pid $! http://127.0.0.1:$http gossip 127.0.0.1:$gossip log $LOGS/$name.log"
}

echo "==> Starting the cluster"
start greeter-1 greeter 8081 7946 zone-a --spring.cloud.gossip.dns.enabled=true
start greeter-2 greeter 8082 7947 zone-a
start frontend-1 frontend 8080 7948 zone-a
# a thin client: a frontend outside the cluster that follows the greeters' catalog over HTTP
start client-1 frontend,client 8083 0 zone-a

echo "==> Waiting until the frontend sees both greeters registered"
for i in $(seq 1 120); do
  # the status tag, not the member state: a member is alive before its registration tags arrive
  if http_get 8080 /actuator/gossip 2>/dev/null | grep -o '"status":"UP"' | wc -l | grep -q '^3$'; then
    break
  fi
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "A process exited early; see $LOGS/*.log"; exit 1; }
  done
  sleep 0.5
done

echo
echo "    frontend:   http://127.0.0.1:8080/hello"
echo "    thin client: http://127.0.0.1:8083/hello (no gossip node; catalog http://127.0.0.1:8081/gossip/catalog/v1/services)"
echo "    dns:        dig @127.0.0.1 -p 8600 SRV greeter.service.gossip +short"
echo "    dashboard:  http://127.0.0.1:8080/gossip"
echo "    members:    http://127.0.0.1:8080/actuator/gossip"
echo "    greeters:   http://127.0.0.1:8081/greeting  http://127.0.0.1:8082/greeting"
echo
echo "==> Ten calls through the load balancer:"
for i in $(seq 1 10); do
  http_get 8080 /hello | sed -E 's/.*"answeredBy":"([^"]*)".*/    answered by \1/'
  echo
done
echo
echo "==> Five calls from the thin client:"
for i in $(seq 1 50); do http_get 8083 /hello >/dev/null 2>&1 && break; sleep 0.2; done
for i in $(seq 1 5); do
  http_get 8083 /hello | sed -E 's/.*"answeredBy":"([^"]*)".*/    answered by \1/'
  echo
done
echo
echo "==> Running. Try: kill a greeter (kill ${pids[0]}) and call /hello again. Ctrl-C stops everything."
wait
