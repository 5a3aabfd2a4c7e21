#!/usr/bin/env bash
# `npm test`: type check + layer rules, pure unit tests, then module and end-to-end tests against
# real PostgreSQL and Redis (each test file gets its own database cloned from a migrated template),
# browser smokes and accessibility audits in Chromium included, and the app behind a real PgBouncer.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/chromium.sh
source scripts/chromium.sh
ensure_chromium # before anything runs: finds (or installs) Chromium and exports CHROMIUM_PATH, or says what to install
# shellcheck source=scripts/pgbouncer.sh
source scripts/pgbouncer.sh
ensure_pgbouncer # the same for PgBouncer (the pooler tests): exports PGBOUNCER_PATH (Debian 12: 1.18)
ensure_pgbouncer_prepared # and a PgBouncer ≥ 1.21 (built once from Debian 13's source): PGBOUNCER_PREPARED_PATH
[ -d node_modules ] || npm install --no-audit --no-fund
# shellcheck source=scripts/services.sh
source scripts/services.sh
DATABASE_URL="${TEST_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}" REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}" ensure_services
npm run --silent lint
npx jest --selectProjects unit "$@"
npx jest --selectProjects int --maxWorkers=2 "$@"
