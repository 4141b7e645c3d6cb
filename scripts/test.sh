#!/usr/bin/env bash
# The test command: `bash scripts/test.sh` (or `pnpm test`). Stages, stopping at the first that
# fails: lint → typecheck → unit → integration (real PostgreSQL and Redis; each test file gets a
# throw-away database) → end-to-end (Playwright in Debian's Chromium).
# The last line printed is always `tests: N passed, N failed`, summed from the runners' JSON reports.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/toolchain.sh
require_node
ensure_pnpm

export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
reports=.artifacts/test-reports
rm -rf "$reports" && mkdir -p "$reports"
tsx=node_modules/.bin/tsx

summary() { "$tsx" scripts/test-summary.ts "$reports"/unit.json "$reports"/integration.json "$reports"/e2e.json; }

stage() {
  local name="$1"; shift
  echo
  echo "━━━ $name"
  local started=$SECONDS
  if "$@"; then
    echo "✓ $name ($((SECONDS - started)) s)"
  else
    echo
    echo "✗ $name failed — the stages after it did not run. Fix the errors above, then rerun: bash scripts/test.sh"
    summary
    exit 1
  fi
}

install() {
  # Fast when nothing changed; makes a fresh clone testable with this one command.
  pnpm install --frozen-lockfile --prefer-offline >"$reports/install.log" 2>&1 || { cat "$reports/install.log"; return 1; }
}

services() {
  local exports
  exports="$("$tsx" scripts/check-services.ts)" || return 1
  eval "$exports"
}

e2e() {
  if [[ ! -x /usr/bin/chromium ]]; then
    echo "✗ the end-to-end tests drive Debian's Chromium at /usr/bin/chromium. Install it with:"
    echo "    sudo apt-get install -y chromium"
    return 1
  fi
  PLAYWRIGHT_JSON_OUTPUT_FILE="$reports/e2e.json" pnpm exec playwright test --reporter=list,json
}

stage "install dependencies" install
stage "lint" pnpm exec turbo run lint lint:root --output-logs=errors-only --continue
stage "typecheck" pnpm exec turbo run typecheck typecheck:root --output-logs=errors-only --continue
stage "unit tests" pnpm exec vitest run --project unit --reporter=default --reporter=json --outputFile.json="$reports/unit.json"
stage "PostgreSQL and Redis" services
stage "integration tests" pnpm exec vitest run --project integration --reporter=default --reporter=json --outputFile.json="$reports/integration.json"
stage "end-to-end tests" e2e
echo
echo "✓ all stages passed"
summary
