# Sourced by start.sh and test.sh: make sure PostgreSQL and Redis answer before anything runs.
# Order: already reachable → start the local services (as on the dev/CI machines) → docker compose
# → otherwise say exactly what to start.

pg_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/opsdeck}"
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"

reachable() { # host port
  node -e "const s=require('net').connect({host:process.argv[1],port:+process.argv[2]});s.setTimeout(1000);s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));s.on('timeout',()=>process.exit(1));" "$1" "$2"
}
host_of() { node -e "const u=new URL(process.argv[1]);console.log(u.hostname||'127.0.0.1')" "$1"; }
port_of() { node -e "const u=new URL(process.argv[1]);console.log(u.port||process.argv[2])" "$1" "$2"; }

wait_for() { # name host port
  for _ in $(seq 1 30); do reachable "$2" "$3" && return 0; sleep 1; done
  echo "$1 did not become reachable at $2:$3" >&2
  return 1
}

start_local_postgres() {
  command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] || return 1
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >/dev/null 2>&1 || true
}

start_local_redis() {
  command -v redis-server >/dev/null 2>&1 || return 1
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$1" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/opsdeck.log >/dev/null 2>&1 || true
}

have_compose() { command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

ensure_services() {
  local pg_host pg_port redis_host redis_port
  pg_host=$(host_of "$pg_url"); pg_port=$(port_of "$pg_url" 5432)
  redis_host=$(host_of "$redis_url"); redis_port=$(port_of "$redis_url" 6379)
  if ! reachable "$pg_host" "$pg_port"; then
    if [[ "$pg_host" =~ ^(127\.0\.0\.1|localhost)$ ]] && start_local_postgres && wait_for PostgreSQL "$pg_host" "$pg_port"; then :
    elif have_compose; then docker compose up -d postgres && wait_for PostgreSQL "$pg_host" "$pg_port"
    else
      echo "PostgreSQL is not reachable at $pg_host:$pg_port. Start it (e.g. 'docker compose up -d postgres'," >&2
      echo "or a local PostgreSQL 15+ with user postgres and trust auth), or set DATABASE_URL." >&2
      return 1
    fi
  fi
  if ! reachable "$redis_host" "$redis_port"; then
    if [[ "$redis_host" =~ ^(127\.0\.0\.1|localhost)$ ]] && start_local_redis "$redis_port" && wait_for Redis "$redis_host" "$redis_port"; then :
    elif have_compose; then docker compose up -d redis && wait_for Redis "$redis_host" "$redis_port"
    else
      echo "Redis is not reachable at $redis_host:$redis_port. Start it (e.g. 'docker compose up -d redis'," >&2
      echo "or a local redis-server 7), or set REDIS_URL." >&2
      return 1
    fi
  fi
}
