# Sourced by test.sh (and read by test/support/browser.ts): the browser tier needs a Chromium or
# Chrome. Order: CHROMIUM_PATH → Debian's chromium and a locally installed Chrome or Chromium →
# install Debian's chromium when this machine can (apt-get as root or password-less sudo) → stop
# with one line saying what to install. The tier is never skipped.

# Well-known install locations, besides chromium/chrome on PATH (a test points them elsewhere with
# OPSDECK_CHROMIUM_CANDIDATES, colon-separated). Plain bash: this runs before anything is known.
chromium_candidates() {
  local list
  if [ -n "${OPSDECK_CHROMIUM_CANDIDATES+x}" ]; then
    IFS=: read -r -a list <<<"$OPSDECK_CHROMIUM_CANDIDATES"
  else
    list=(/usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable
      /opt/google/chrome/chrome /snap/bin/chromium
      "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" "/Applications/Chromium.app/Contents/MacOS/Chromium")
    # A Chromium that Playwright downloaded for other projects (never downloaded from here).
    shopt -s nullglob
    list+=("${HOME:-/nonexistent}"/.cache/ms-playwright/chromium-*/chrome-linux*/chrome)
    shopt -u nullglob
  fi
  [ "${#list[@]}" -eq 0 ] || printf '%s\n' "${list[@]}"
}

# Prints the browser's path; fails (silently) when there is none.
find_chromium() {
  local candidate name
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] && [ ! -d "$CHROMIUM_PATH" ] && { printf '%s\n' "$CHROMIUM_PATH"; return 0; }
    return 1
  fi
  while IFS= read -r candidate; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && [ ! -d "$candidate" ] && { printf '%s\n' "$candidate"; return 0; }
  done < <(chromium_candidates)
  for name in chromium chromium-browser google-chrome google-chrome-stable chrome; do
    candidate=$(command -v "$name" 2>/dev/null) && [ -x "$candidate" ] && { printf '%s\n' "$candidate"; return 0; }
  done
  return 1
}

# The way .ci/run always installed it: Debian's package, as root or through password-less sudo.
install_debian_chromium() {
  local sudo=""
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1 || return 1
    sudo="sudo -n"
  fi
  echo "Chromium not found: installing Debian's chromium for the browser tests (apt-get)…" >&2
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
}

# Exports CHROMIUM_PATH for the browser tier, or says in one line what to install and fails.
ensure_chromium() {
  local found
  if [ -n "${CHROMIUM_PATH:-}" ] && ! find_chromium >/dev/null; then
    echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable Chromium or Chrome: point it at one, or unset it to use Debian's /usr/bin/chromium." >&2
    return 1
  fi
  if found=$(find_chromium) || { install_debian_chromium && found=$(find_chromium); }; then
    export CHROMIUM_PATH="$found"
    return 0
  fi
  if command -v apt-get >/dev/null 2>&1; then
    echo "The browser tests need Chromium: run 'sudo apt-get install -y --no-install-recommends chromium' (or set CHROMIUM_PATH to a Chrome or Chromium executable), then npm test again." >&2
  else
    echo "The browser tests need Chromium: install Google Chrome or Chromium (or set CHROMIUM_PATH to its executable), then npm test again." >&2
  fi
  return 1
}
