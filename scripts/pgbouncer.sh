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

# PgBouncer ≥ 1.21 tracks protocol-level prepared statements (`max_prepared_statements`), so the app
# keeps named statements in transaction mode there (DATABASE_NAMED_STATEMENTS=on). Debian 12 ships
# only 1.18, so the pooler tests build 1.24.1 from Debian 13's source package (deb.debian.org, the
# tarball pinned by its SHA-256) once per machine into a cache outside the clone; it needs a C
# compiler, make, pkg-config and the libevent and OpenSSL headers (installed with apt-get when this
# machine can). PGBOUNCER_PREPARED_PATH points at another ≥ 1.21 build instead.
PGBOUNCER_SOURCE_VERSION=1.24.1
PGBOUNCER_SOURCE_URL="http://deb.debian.org/debian/pool/main/p/pgbouncer/pgbouncer_${PGBOUNCER_SOURCE_VERSION}.orig.tar.gz"
PGBOUNCER_SOURCE_SHA256=da72a3aba13072876d055a3e58dd4aba4a5de4ed6148e73033185245598fd3e0

pgbouncer_build_dir() {
  printf '%s\n' "${OPSDECK_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/opsdeck}/pgbouncer-${PGBOUNCER_SOURCE_VERSION}"
}

install_pgbouncer_build_deps() {
  local sudo="" missing=()
  command -v cc >/dev/null 2>&1 || missing+=(gcc)
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  pkg-config --exists libevent 2>/dev/null || missing+=(libevent-dev)
  pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1 || return 1
    sudo="sudo -n"
  fi
  echo "Building PgBouncer ${PGBOUNCER_SOURCE_VERSION} needs ${missing[*]}: installing (apt-get)…" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    { $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; }
}

build_pgbouncer_from_source() {
  local dest work
  dest=$(pgbouncer_build_dir)
  [ -x "$dest/pgbouncer" ] && return 0
  install_pgbouncer_build_deps || return 1
  work=$(mktemp -d)
  echo "Building PgBouncer ${PGBOUNCER_SOURCE_VERSION} from Debian's source package for the pooler tests (once per machine, ≈ 40 s)…" >&2
  if curl -fsSL --retry 2 -m 120 -o "$work/src.tar.gz" "$PGBOUNCER_SOURCE_URL" &&
    echo "$PGBOUNCER_SOURCE_SHA256  $work/src.tar.gz" | sha256sum -c --quiet - &&
    mkdir "$work/src" && tar xzf "$work/src.tar.gz" -C "$work/src" --strip-components=1 &&
    (cd "$work/src" && ./configure --without-cares --with-pam=no >"$work/build.log" 2>&1 && make -j2 >>"$work/build.log" 2>&1) &&
    mkdir -p "$dest" && cp "$work/src/pgbouncer" "$dest/pgbouncer.tmp" && mv "$dest/pgbouncer.tmp" "$dest/pgbouncer"; then
    rm -rf "$work"
    return 0
  fi
  [ -f "$work/build.log" ] && tail -20 "$work/build.log" >&2
  rm -rf "$work"
  return 1
}

# Exports PGBOUNCER_PREPARED_PATH (a PgBouncer ≥ 1.21), or says in one line what is missing and fails.
ensure_pgbouncer_prepared() {
  if [ -n "${PGBOUNCER_PREPARED_PATH:-}" ]; then
    [ -x "$PGBOUNCER_PREPARED_PATH" ] && return 0
    echo "PGBOUNCER_PREPARED_PATH=$PGBOUNCER_PREPARED_PATH is not an executable." >&2
    return 1
  fi
  if build_pgbouncer_from_source; then
    PGBOUNCER_PREPARED_PATH="$(pgbouncer_build_dir)/pgbouncer"
    export PGBOUNCER_PREPARED_PATH
    return 0
  fi
  echo "The pooler tests need PgBouncer >= 1.21: could not build ${PGBOUNCER_SOURCE_VERSION} from $PGBOUNCER_SOURCE_URL (needs gcc, make, pkg-config, libevent-dev, libssl-dev); set PGBOUNCER_PREPARED_PATH to one, then npm test again." >&2
  return 1
}
