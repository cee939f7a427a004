#!/usr/bin/env bash
# Back up a portal database with pg_dump, restore it into a fresh one with pg_restore, and prove nothing was lost:
# every table's row count and a few sums (budgets spent, amounts approved, loans disbursed) must match.
#   bench/backup_restore.sh [SOURCE_DB=scale] [TARGET_DB=scale_restored]   (PGHOST/PGUSER default 127.0.0.1/postgres)
set -euo pipefail
SOURCE=${1:-scale}
TARGET=${2:-scale_restored}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
[[ "$SOURCE" != test && "$TARGET" != test ]] || { echo "never the CI database 'test'" >&2; exit 2; }
[[ "$SOURCE" != "$TARGET" ]] || { echo "source and target must differ" >&2; exit 2; }
DUMP=${DUMP:-/tmp/${SOURCE}.dump}

# Fingerprint: one line per table with its row count, then sums that would reveal truncated money columns.
fingerprint() {
  psql -d "$1" -AtX -v ON_ERROR_STOP=1 <<'SQL'
SELECT format('SELECT %L || '' '' || count(*) FROM %I;', tablename, tablename)
FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename \gexec
SELECT 'sum policies.budget_spent_wan ' || coalesce(sum(budget_spent_wan), 0) FROM policies;
SELECT 'sum applications.amount_wan ' || coalesce(sum(amount_wan), 0) FROM applications;
SELECT 'sum financing_disbursements.amount_wan ' || coalesce(sum(amount_wan), 0) FROM financing_disbursements;
SQL
}

start=$(date +%s)
pg_dump -Fc -Z 1 -d "$SOURCE" -f "$DUMP"
dumped=$(date +%s)
dropdb --if-exists "$TARGET"
createdb "$TARGET"
pg_restore -j 2 --no-owner -d "$TARGET" "$DUMP"
restored=$(date +%s)
if diff <(fingerprint "$SOURCE") <(fingerprint "$TARGET"); then
  echo "backup ok: $(du -h "$DUMP" | cut -f1) dump in $((dumped - start)) s, restore in $((restored - dumped)) s;" \
       "$(fingerprint "$TARGET" | wc -l) counts and sums equal"
else
  echo "RESTORE DIFFERS from $SOURCE (lines above: < source, > restored)" >&2
  exit 1
fi
