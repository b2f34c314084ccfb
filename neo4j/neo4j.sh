#!/usr/bin/env bash
# neo4j/neo4j.sh — the Neo4j 5.26 LTS Community runtime recipe for Bridge.
#
# The server comes from Maven Central (neo4j/pom.xml copies it into .local/neo4j/lib); each
# instance is a folder of its own (conf, data, logs, run) so that `make run` data and the
# throwaway test instances never meet.
#
#   neo4j.sh install                         fetch the server jars (idempotent; cached in ~/.m2)
#   neo4j.sh start HOME PORT PASSWORD        create HOME if needed, start, wait for RETURN 1
#   neo4j.sh stop HOME                       SIGTERM and wait for a clean shutdown
#   neo4j.sh status HOME                     exit 0 when the instance's process runs
#   neo4j.sh dump HOME DIR                   write the stopped instance's database to DIR/neo4j.dump
#                                            (neo4j-admin database dump; Community dumps offline)
#   neo4j.sh load HOME DIR                   load DIR/neo4j.dump into the instance's database
#                                            (created if new; it must be stopped), replacing it
#   neo4j.sh freeport                        print a free loopback TCP port
#   neo4j.sh throwaway CMD [ARG...]          start a fresh instance on a free port with a random
#                                            password, run CMD with NEO4J_URI, NEO4J_USER and
#                                            NEO4J_PASSWORD (and BRIDGE_NEO4J_HOME, its folder)
#                                            set, then stop it and delete it
#
# Environment: NEO4J_HEAP (default 1g), NEO4J_PAGECACHE (default 512m),
# NEO4J_READY_TIMEOUT seconds (default 240), BRIDGE_BIN (the bridge binary, used to wait for
# RETURN 1 through the Go driver), NEO4J_JAVA_OPTS (more flags for the server's JVM, split on
# spaces; e.g. "-Xlog:gc*:file=/tmp/gc.log:time,uptime -XX:MaxGCPauseMillis=20" to see and
# shorten its GC pauses, docs/performance.md), NEO4J_CONF_EXTRA (more neo4j.conf lines, e.g.
# the query log with its planning and waiting times, docs/performance.md).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
lib="$root/.local/neo4j/lib"
version=$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$here/pom.xml")

log() { printf 'neo4j: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

java_flags=(
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --enable-native-access=ALL-UNNAMED
  -XX:+UseG1GC
  -XX:-OmitStackTraceInFastThrow
  -Dfile.encoding=UTF-8
)

install() {
  if [ -f "$lib/neo4j-$version.jar" ]; then
    return 0
  fi
  command -v mvn >/dev/null || die "Maven (mvn) is required to fetch Neo4j $version from Maven Central"
  command -v java >/dev/null || die "Java 17 is required to run Neo4j $version"
  log "fetching Neo4j $version from Maven Central into $lib"
  rm -rf "$lib"
  mkdir -p "$root/.local"
  if ! mvn -B -q -f "$here/pom.xml" package >"$root/.local/neo4j-install.log" 2>&1; then
    cat "$root/.local/neo4j-install.log" >&2
    die "could not fetch Neo4j $version from Maven Central (log above)"
  fi
  [ -f "$lib/neo4j-$version.jar" ] || die "Maven finished but $lib/neo4j-$version.jar is missing"
}

write_conf() {
  local home=$1 port=$2
  mkdir -p "$home/conf" "$home/data" "$home/logs" "$home/run" "$home/plugins" "$home/import"
  cat >"$home/conf/neo4j.conf" <<EOF
# Written by neo4j/neo4j.sh; changes are overwritten at the next start.
server.directories.data=$home/data
server.directories.logs=$home/logs
server.directories.run=$home/run
server.directories.plugins=$home/plugins
server.directories.import=$home/import
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$port
server.bolt.advertised_address=127.0.0.1:$port
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=true
server.memory.heap.initial_size=${NEO4J_HEAP:-1g}
server.memory.heap.max_size=${NEO4J_HEAP:-1g}
server.memory.pagecache.size=${NEO4J_PAGECACHE:-512m}
dbms.usage_report.enabled=false
client.allow_telemetry=false
db.tx_log.preallocate=false
db.transaction.timeout=30s
${NEO4J_CONF_EXTRA:-}
EOF
  echo "$port" >"$home/port"
}

running() {
  local home=$1
  [ -f "$home/run/bridge-neo4j.pid" ] && kill -0 "$(cat "$home/run/bridge-neo4j.pid")" 2>/dev/null
}

start() {
  local home=$1 port=$2 password=$3
  [ ${#password} -ge 8 ] || die "the Neo4j password must have at least 8 characters"
  install
  if running "$home"; then
    log "already running (pid $(cat "$home/run/bridge-neo4j.pid")) on port $(cat "$home/port")"
    wait_ready "$(cat "$home/port")" "$password"
    return 0
  fi
  write_conf "$home" "$port"
  if [ ! -f "$home/data/dbms/auth.ini" ] && [ ! -d "$home/data/databases/system" ]; then
    NEO4J_HOME="$home" NEO4J_CONF="$home/conf" \
      java "${java_flags[@]}" -cp "$lib/*" org.neo4j.server.startup.Neo4jAdminCommand \
      dbms set-initial-password "$password" >"$home/logs/set-password.log" 2>&1 ||
      { cat "$home/logs/set-password.log" >&2; die "could not set the initial password"; }
  fi
  log "starting Neo4j $version on 127.0.0.1:$port (home $home)"
  local heap=${NEO4J_HEAP:-1g} extra
  read -r -a extra <<<"${NEO4J_JAVA_OPTS:-}"
  # The server runs in one JVM (no launcher fork), so heap flags are passed here; the server is
  # detached from this shell's job control and keeps running after the script exits.
  nohup setsid java "${java_flags[@]}" "${extra[@]}" -Xms"$heap" -Xmx"$heap" \
    -cp "$home/plugins/*:$home/conf/*:$lib/*" \
    org.neo4j.server.CommunityEntryPoint --home-dir="$home" --config-dir="$home/conf" --console-mode \
    >"$home/logs/console.log" 2>&1 </dev/null &
  echo $! >"$home/run/bridge-neo4j.pid"
  wait_ready "$port" "$password" || {
    tail -n 40 "$home/logs/console.log" >&2
    stop "$home"
    die "Neo4j did not become ready"
  }
}

wait_ready() {
  local port=$1 password=$2
  local bin=${BRIDGE_BIN:-$root/bin/bridge}
  [ -x "$bin" ] || die "$bin is missing; build it first (make build)"
  local t0=$SECONDS
  NEO4J_URI="bolt://127.0.0.1:$port" NEO4J_USER=neo4j NEO4J_PASSWORD="$password" \
    "$bin" waitdb --timeout "${NEO4J_READY_TIMEOUT:-240}s" || return 1
  log "ready (RETURN 1 answered) after $((SECONDS - t0))s"
}

stop() {
  local home=$1
  if ! running "$home"; then
    rm -f "$home/run/bridge-neo4j.pid"
    return 0
  fi
  local pid
  pid=$(cat "$home/run/bridge-neo4j.pid")
  log "stopping Neo4j (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$home/run/bridge-neo4j.pid"; return 0; }
    sleep 0.5
  done
  log "still running after 60s; killing"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$home/run/bridge-neo4j.pid"
}

# admin runs neo4j-admin for an instance (its conf written for PORT when it has none yet).
admin() {
  local home=$1
  shift
  install
  [ -f "$home/conf/neo4j.conf" ] || write_conf "$home" "$(freeport)"
  NEO4J_HOME="$home" NEO4J_CONF="$home/conf" \
    java "${java_flags[@]}" -cp "$lib/*" org.neo4j.server.startup.Neo4jAdminCommand "$@"
}

dump() {
  local home=$1 dir=$2
  ! running "$home" || die "stop the instance first: Community Edition dumps a stopped database"
  mkdir -p "$dir"
  admin "$home" database dump neo4j --to-path="$dir" --overwrite-destination=true >&2
}

load() {
  local home=$1 dir=$2
  ! running "$home" || die "stop the instance first: a database is loaded while it is stopped"
  admin "$home" database load neo4j --from-path="$dir" --overwrite-destination=true >&2
}

freeport() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 12000)) # below the ephemeral range 32768-60999 (see oidc/oidc.sh)
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

throwaway() {
  install
  local home port password status=0
  mkdir -p "$root/.local/neo4j"
  home=$(mktemp -d "$root/.local/neo4j/test-XXXXXX")
  port=$(freeport)
  password="test-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  # shellcheck disable=SC2064 # expand now: the trap must clean up this instance
  trap "stop '$home'; rm -rf '$home'" EXIT
  local t0=$SECONDS
  start "$home" "$port" "$password"
  log "throwaway instance ready in $((SECONDS - t0))s"
  NEO4J_URI="bolt://127.0.0.1:$port" NEO4J_USER=neo4j NEO4J_PASSWORD="$password" BRIDGE_NEO4J_HOME="$home" \
    "$@" || status=$?
  return $status
}

cmd=${1:-}
shift || true
case "$cmd" in
  install) install ;;
  start) [ $# -eq 3 ] || die "usage: neo4j.sh start HOME PORT PASSWORD"; start "$@" ;;
  stop) [ $# -eq 1 ] || die "usage: neo4j.sh stop HOME"; stop "$1" ;;
  status) [ $# -eq 1 ] || die "usage: neo4j.sh status HOME"; running "$1" ;;
  dump) [ $# -eq 2 ] || die "usage: neo4j.sh dump HOME DIR"; dump "$1" "$2" ;;
  load) [ $# -eq 2 ] || die "usage: neo4j.sh load HOME DIR"; load "$1" "$2" ;;
  freeport) freeport ;;
  throwaway) [ $# -ge 1 ] || die "usage: neo4j.sh throwaway CMD [ARG...]"; throwaway "$@" ;;
  *) die "usage: neo4j.sh install|start|stop|status|freeport|throwaway" ;;
esac
