#!/usr/bin/env bash
# Runs the Prisma CLI. Reading the schema needs DATABASE_URL to be set even for `generate`,
# which never connects: give it a placeholder when the caller has none.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/marketing}"
export PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
exec node_modules/.bin/prisma "$@"
