# Sourced by start.sh, test.sh and .ci/run: checks Node and makes the pinned pnpm available.
# On a machine with only Node, pnpm is installed into .data/tools with npm (no root, nothing global).

require_node() {
  if ! command -v node >/dev/null 2>&1; then
    echo "✗ Node.js 20 or newer is required: https://nodejs.org (Debian: sudo apt-get install -y nodejs npm)" >&2
    exit 1
  fi
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=9)?0:1)'; then
    echo "✗ Node.js $(node -v) is too old: 20.9 or newer is required." >&2
    exit 1
  fi
}

ensure_pnpm() {
  local want
  want="$(node -p 'require("./package.json").packageManager.split("@")[1]')"
  if command -v pnpm >/dev/null 2>&1 && [[ "$(pnpm -v 2>/dev/null)" == "${want%%.*}".* ]]; then
    return
  fi
  local tools="$PWD/.data/tools"
  if [[ ! -x "$tools/node_modules/.bin/pnpm" ]]; then
    echo "▸ installing pnpm $want into .data/tools"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "pnpm@$want" >&2
  fi
  export PATH="$tools/node_modules/.bin:$PATH"
}
