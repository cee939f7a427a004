#!/usr/bin/env bash
# Run the policy-matching benchmark on the dev set, both tracks, and print the evaluator's tables.
#   bench/policy_match.sh [BENCH_DIR] [AS_OF]      (defaults: ../shared/bench/policy_match, 2026-06-30)
# Uses the offline commands `policies rank` / `policies deliver-plan` (no database); results in bench/out/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="${1:-$ROOT/../shared/bench/policy_match}"
AS_OF="${2:-2026-06-30}"
PY="$ROOT/.venv/bin/python"
OUT="$ROOT/bench/out/policy_match"
mkdir -p "$OUT"
cd "$ROOT"
run() {  # run one policies command without an app (they need none)
  "$PY" -c 'import sys; from portal.policies.cli import policies_cli; policies_cli.main(sys.argv[1:], prog_name="policies")' "$@"
}
for track in conditions text-only; do
  flag=""; [ "$track" = text-only ] && flag="--text-only"
  run rank --policies "$BENCH/dev/policies.jsonl" --enterprises "$BENCH/dev/enterprises.jsonl" \
      --top 20 --out "$OUT/rank_$track.tsv" --as-of "$AS_OF" $flag
  run deliver-plan --policies "$BENCH/dev/policies.jsonl" --enterprises "$BENCH/dev/enterprises.jsonl" \
      --out "$OUT/deliver_$track.tsv" --as-of "$AS_OF" $flag
  echo "== track: $track"
  "$PY" "$BENCH/evaluate.py" --qrels "$BENCH/dev/qrels.tsv" --ranking "$OUT/rank_$track.tsv" \
      --delivery "$OUT/deliver_$track.tsv" --json "$OUT/eval_$track.json"
done
