#!/usr/bin/env bash
# Authors a new migration from the schema change since the last one (works offline):
#   pnpm db:diff add_tags
# prisma/migrations/schema.snapshot.prisma is the schema as of the newest migration.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: pnpm db:diff <migration_name>}"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
bash scripts/prisma.sh migrate diff \
  --from-schema-datamodel prisma/migrations/schema.snapshot.prisma \
  --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
cp prisma/schema.prisma prisma/migrations/schema.snapshot.prisma
echo "wrote $dir/migration.sql — review it, then: pnpm db:deploy" >&2
