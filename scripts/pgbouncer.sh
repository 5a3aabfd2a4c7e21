# Sourced by test.sh: the pooler tests (test/e2e/pgbouncer.e2e-spec.ts) start a real PgBouncer.
# Order: PGBOUNCER_PATH → pgbouncer on PATH or in /usr/sbin → install Debian's pgbouncer when this
# machine can (apt-get as root or password-less sudo) → stop with one line saying what to install.
# The tests are never skipped. The package's own service is not started (no systemd here; each
# test starts its own on a free port and stops it).

find_pgbouncer() {
  local candidate
  if [ -n "${PGBOUNCER_PATH:-}" ]; then
    [ -x "$PGBOUNCER_PATH" ] && { printf '%s\n' "$PGBOUNCER_PATH"; return 0; }
    return 1
  fi
  for candidate in "$(command -v pgbouncer 2>/dev/null)" /usr/sbin/pgbouncer /usr/local/bin/pgbouncer; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && { printf '%s\n' "$candidate"; return 0; }
  done
  return 1
}

install_debian_pgbouncer() {
  local sudo=""
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1 || return 1
    sudo="sudo -n"
  fi
  echo "PgBouncer not found: installing Debian's pgbouncer for the pooler tests (apt-get)…" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends pgbouncer >&2 ||
    { $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends pgbouncer >&2; }
}

# Exports PGBOUNCER_PATH, or says in one line what to install and fails.
ensure_pgbouncer() {
  local found
  if found=$(find_pgbouncer) || { install_debian_pgbouncer && found=$(find_pgbouncer); }; then
    export PGBOUNCER_PATH="$found"
    return 0
  fi
  echo "The pooler tests need PgBouncer: run 'sudo apt-get install -y pgbouncer' (or set PGBOUNCER_PATH to its executable), then npm test again." >&2
  return 1
}
