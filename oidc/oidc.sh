#!/usr/bin/env bash
# oidc/oidc.sh — the local OpenID Connect provider (Dex v2.45.1) for `make run` and the
# end-to-end tests. LOCAL DEVELOPMENT AND TESTS ONLY: its users and passwords are public.
#
# Dex is built from the Go module proxy through the scratch module in oidc/dex (pinned in its
# go.mod and go.sum) into .local/oidc/dex; each instance is a folder of its own (config.yaml,
# dex.log, dex.pid, port) so that the `make run` provider and throwaway test providers never meet.
# Storage is in memory: users, clients and signing keys come from the config at every start.
#
#   oidc.sh install                   build .local/oidc/dex (idempotent; rebuilt only when
#                                     oidc/dex/go.mod or go.sum change)
#   oidc.sh start HOME PORT           write HOME/config.yaml, start Dex detached on 127.0.0.1:PORT,
#                                     wait until the discovery document answers
#   oidc.sh stop HOME                 SIGTERM and wait
#   oidc.sh status HOME               exit 0 when the instance's process runs
#   oidc.sh token ROLE [PORT]         print an access token (password grant) for ROLE: member,
#                                     group-member, secretariat or admin (PORT default 5556)
#   oidc.sh env PORT                  print the export line for an API that trusts the provider
#   oidc.sh freeport                  print a free loopback TCP port
#   oidc.sh throwaway CMD [ARG...]    start a fresh provider on a free port, run CMD with
#                                     OIDC_ISSUER, OIDC_AUDIENCE, OIDC_ROLE_CLAIM, OIDC_TOKEN_URL,
#                                     OIDC_PORT, BRIDGE_OIDC_HOME and BRIDGE_OIDC_SH set, then stop
#                                     it and delete it; for the web sign-in also OIDC_WEB_CLIENT_ID,
#                                     OIDC_WEB_CLIENT_SECRET and OIDC_WEB_PORT (a second free port
#                                     whose http://127.0.0.1:PORT/auth/callback the web client may
#                                     redirect to: tests serve the web sign-in there)
#
# Environment: OIDC_TOKEN_TTL (token lifetime, default 1h), OIDC_READY_TIMEOUT seconds (default
# 30), OIDC_TOKEN_CLIENT (client id for `token`, default bridge-api; `other-app` mints tokens
# for another audience), GO (the go command).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
local_dir="$root/.local/oidc"
bin="$local_dir/dex"
stamp="$local_dir/dex.stamp"
dex_version=v2.45.1
audience=bridge-api
# The web app's client (authorization code flow with PKCE); its secret is public like the demo
# passwords: local development and tests only.
web_client=bridge-web
web_secret=bridge-web-local-secret
role_claim=groups
go=${GO:-go}

log() { printf 'oidc: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# The key of a build: the pinned module graph and the build flags.
ldflags="-s -w -X main.version=$dex_version"
build_key() {
  { cat "$here/dex/go.mod" "$here/dex/go.sum"; echo "CGO_ENABLED=0 -trimpath $ldflags"; } | sha256sum | cut -d' ' -f1
}

install() {
  command -v "$go" >/dev/null || die "Go is required to build Dex $dex_version"
  local key
  key=$(build_key)
  if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ]; then
    return 0
  fi
  mkdir -p "$local_dir"
  log "building Dex $dex_version from the Go module proxy into $bin (first time: a few minutes)"
  local t0=$SECONDS
  # CGO off: no C compiler needed, and the sqlite3 storage (cgo only) is not used.
  if ! (cd "$here/dex" && GOWORK=off CGO_ENABLED=0 "$go" build -mod=readonly -trimpath \
    -ldflags "$ldflags" -o "$bin.tmp.$$" github.com/dexidp/dex/cmd/dex) \
    >"$root/.local/oidc-install.log" 2>&1; then
    cat "$root/.local/oidc-install.log" >&2
    rm -f "$bin.tmp.$$"
    die "could not build Dex $dex_version (log above)"
  fi
  mv -f "$bin.tmp.$$" "$bin"
  echo "$key" >"$stamp"
  log "built Dex $dex_version in $((SECONDS - t0))s"
}

issuer_of() { echo "http://127.0.0.1:$1/dex"; }

write_conf() {
  local home=$1 port=$2 web_redirect=""
  mkdir -p "$home"
  if [ -n "${OIDC_WEB_PORT:-}" ]; then
    [[ $OIDC_WEB_PORT =~ ^[0-9]+$ ]] || die "OIDC_WEB_PORT must be a number"
    web_redirect="      - http://127.0.0.1:$OIDC_WEB_PORT/auth/callback"
  fi
  {
    echo "# Written by oidc/oidc.sh from oidc/dex/config.yaml.tmpl; overwritten at the next start."
    sed -e "s/@PORT@/$port/g" -e "s/@TOKEN_TTL@/${OIDC_TOKEN_TTL:-1h}/g" -e "s|@WEB_DIR@|$here/dex/web|g" \
      -e "s|^@WEB_TEST_REDIRECT@\$|$web_redirect|" "$here/dex/config.yaml.tmpl"
  } >"$home/config.yaml"
  echo "$port" >"$home/port"
}

# A process that runs (an exited one that its parent has not reaped yet counts as gone).
alive() {
  kill -0 "$1" 2>/dev/null && [[ $(ps -o stat= -p "$1" 2>/dev/null) != Z* ]]
}

# The instance runs: its pid file names a live `dex serve HOME/config.yaml` (not a reused pid).
running() {
  local home=$1 pid
  [ -f "$home/dex.pid" ] || return 1
  pid=$(cat "$home/dex.pid")
  alive "$pid" && [[ $(ps -o args= -p "$pid" 2>/dev/null) == *"serve $home/config.yaml"* ]]
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

now_ms() { date +%s%3N; }

# Waits until the discovery document answers with this instance's issuer.
wait_ready() {
  local port=$1 pid=${2:-} t0 deadline doc
  t0=$(now_ms)
  deadline=$((t0 + ${OIDC_READY_TIMEOUT:-30} * 1000))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if [ -n "$pid" ] && ! alive "$pid"; then
      return 1
    fi
    doc=$(curl -fsS --max-time 2 "$(issuer_of "$port")/.well-known/openid-configuration" 2>/dev/null || true)
    if [[ $doc =~ \"issuer\":[[:space:]]*\""$(issuer_of "$port")"\" ]]; then
      log "ready on $(issuer_of "$port") after $(($(now_ms) - t0)) ms"
      return 0
    fi
    sleep 0.1
  done
  return 1
}

start() {
  local home=$1 port=$2
  [[ $port =~ ^[0-9]+$ ]] || die "PORT must be a number"
  command -v curl >/dev/null || die "curl is required"
  install
  if running "$home"; then
    local old
    old=$(cat "$home/port")
    [ "$old" = "$port" ] || die "already running on port $old (pid $(cat "$home/dex.pid")); stop it first"
    log "already running (pid $(cat "$home/dex.pid")) on port $port"
    wait_ready "$port" || die "the running provider does not answer"
    return 0
  fi
  if port_open "$port"; then
    die "127.0.0.1:$port is already in use by another process"
  fi
  write_conf "$home" "$port"
  log "starting Dex $dex_version on $(issuer_of "$port") (home $home)"
  # Detached from this shell's job control: it keeps running after the script exits.
  nohup setsid "$bin" serve "$home/config.yaml" >"$home/dex.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$home/dex.pid"
  wait_ready "$port" "$pid" || {
    tail -n 20 "$home/dex.log" >&2
    stop "$home"
    die "Dex did not become ready"
  }
}

stop() {
  local home=$1
  if ! running "$home"; then
    rm -f "$home/dex.pid"
    return 0
  fi
  local pid
  pid=$(cat "$home/dex.pid")
  log "stopping Dex (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    alive "$pid" || { rm -f "$home/dex.pid"; return 0; }
    sleep 0.1
  done
  log "still running after 10s; killing"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$home/dex.pid"
}

token() {
  local role=$1 port=${2:-${OIDC_PORT:-5556}} email password body
  # The demo users of oidc/dex/config.yaml.tmpl.
  case "$role" in
    member) email=member@example.org password=demo-member ;;
    group-member | expert) email=expert@example.org password=demo-expert ;;
    secretariat) email=secretariat@example.org password=demo-secretariat ;;
    admin) email=admin@example.org password=demo-admin ;;
    *) die "unknown role '$role' (member, group-member, secretariat, admin)" ;;
  esac
  [[ $port =~ ^[0-9]+$ ]] || die "PORT must be a number"
  body=$(curl -sS --max-time 10 "$(issuer_of "$port")/token" \
    --data-urlencode grant_type=password \
    --data-urlencode "client_id=${OIDC_TOKEN_CLIENT:-$audience}" \
    --data-urlencode "username=$email" \
    --data-urlencode "password=$password" \
    --data-urlencode "scope=openid email profile groups") ||
    die "no provider answers on $(issuer_of "$port") (start it first)"
  local tok
  tok=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$body")
  [ -n "$tok" ] || die "no token: $body"
  echo "$tok"
}

env_of() {
  local port=$1
  echo "export OIDC_ISSUER=$(issuer_of "$port") OIDC_AUDIENCE=$audience OIDC_ROLE_CLAIM=$role_claim OIDC_WEB_CLIENT_ID=$web_client OIDC_WEB_CLIENT_SECRET=$web_secret"
}

freeport() {
  local p
  for _ in $(seq 1 50); do
    # Below Linux's ephemeral range (32768-60999): a port there can be taken meanwhile by any
    # outgoing connection or :0 listener (CI once failed to listen on the web redirect port 42338).
    p=$((20000 + RANDOM % 12000))
    if ! port_open "$p"; then
      echo "$p"
      return 0
    fi
  done
  die "no free port found"
}

throwaway() {
  install
  local home port web_port status=0
  mkdir -p "$local_dir"
  home=$(mktemp -d "$local_dir/test-XXXXXX")
  port=$(freeport)
  web_port=$(freeport)
  while [ "$web_port" = "$port" ]; do web_port=$(freeport); done
  # shellcheck disable=SC2064 # expand now: the trap must clean up this instance
  trap "stop '$home'; rm -rf '$home'" EXIT
  OIDC_WEB_PORT=$web_port start "$home" "$port"
  OIDC_ISSUER=$(issuer_of "$port") OIDC_AUDIENCE=$audience OIDC_ROLE_CLAIM=$role_claim \
    OIDC_TOKEN_URL="$(issuer_of "$port")/token" OIDC_PORT=$port \
    OIDC_WEB_CLIENT_ID=$web_client OIDC_WEB_CLIENT_SECRET=$web_secret OIDC_WEB_PORT=$web_port \
    BRIDGE_OIDC_HOME="$home" BRIDGE_OIDC_SH="$here/oidc.sh" \
    "$@" || status=$?
  return $status
}

# HOME as an absolute path (the pid check matches the command line Dex was started with).
abs() { mkdir -p "$1" && (cd "$1" && pwd); }

cmd=${1:-}
shift || true
case "$cmd" in
  install) install ;;
  start) [ $# -eq 2 ] || die "usage: oidc.sh start HOME PORT"; start "$(abs "$1")" "$2" ;;
  stop) [ $# -eq 1 ] || die "usage: oidc.sh stop HOME"; [ ! -d "$1" ] || stop "$(abs "$1")" ;;
  status) [ $# -eq 1 ] || die "usage: oidc.sh status HOME"; [ -d "$1" ] && running "$(abs "$1")" ;;
  token) [ $# -ge 1 ] && [ $# -le 2 ] || die "usage: oidc.sh token member|group-member|secretariat|admin [PORT]"; token "$@" ;;
  env) [ $# -eq 1 ] || die "usage: oidc.sh env PORT"; env_of "$1" ;;
  freeport) freeport ;;
  throwaway) [ $# -ge 1 ] || die "usage: oidc.sh throwaway CMD [ARG...]"; throwaway "$@" ;;
  *) die "usage: oidc.sh install|start|stop|status|token|env|freeport|throwaway" ;;
esac
