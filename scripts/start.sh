#!/usr/bin/env bash
# The start command: `bash scripts/start.sh [--dev]` (or `pnpm start` where pnpm is installed).
# Works on a machine with only Node 20+: installs pnpm locally if needed, the dependencies,
# then scripts/start.ts finds or provisions PostgreSQL and Redis, migrates, loads the demo data
# on first start and runs the console (http://localhost:3000) and the worker until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/toolchain.sh
require_node
ensure_pnpm
echo "▸ installing dependencies"
pnpm install --frozen-lockfile --prefer-offline
exec node --import tsx scripts/start.ts "$@"
