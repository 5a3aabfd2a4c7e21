#!/usr/bin/env bash
# `npm start`: everything needed to see Opsdeck running with demo data on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
# shellcheck source=scripts/services.sh
source scripts/services.sh
ensure_services
npx ts-node --transpile-only src/cli.ts db:migrate
npx ts-node --transpile-only src/cli.ts seed:demo
echo "Starting Opsdeck (roles: ${APP_ROLES:-web,worker,scheduler}) on http://127.0.0.1:${PORT:-3000}"
exec npx ts-node --transpile-only src/main.ts
