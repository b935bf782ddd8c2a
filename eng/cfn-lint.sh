#!/usr/bin/env bash
# The standard CloudFormation linter as a gate (used by .ci/run and eng/deploy.sh):
#
#   eng/cfn-lint.sh TEMPLATE
#
# Runs 'cfn-lint --include-checks I' on TEMPLATE when cfn-lint is on PATH (it is never installed from
# here). Passes when there is no error, no warning other than W3002 (the functions' Code is a local zip
# path until 'aws cloudformation package' uploads it) and no I3011 (a stateful resource without an
# explicit DeletionPolicy and UpdateReplacePolicy). Other informational findings are printed only.
# Exit: 0 passed, 1 failed, 77 skipped (no cfn-lint), 2 usage.
set -uo pipefail

if [ $# -ne 1 ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
template=$1

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint: skipped, cfn-lint is not on PATH (pip install cfn-lint where a registry is reachable)" >&2
  exit 77
fi

# Parseable format: FILE:LINE:COLUMN:END_LINE:END_COLUMN:RULE:MESSAGE; cfn-lint's exit code is a bit mask
# of the levels found (2 error, 4 warning, 8 informational), 1 when it could not run.
output=$(cfn-lint --format parseable --include-checks I -- "$template" 2>&1)
status=$?
if [ "$status" -eq 1 ] || { [ "$status" -ne 0 ] && [ -z "$output" ]; }; then
  printf '%s\n' "$output" >&2
  echo "cfn-lint: failed to run on $template (exit $status)" >&2
  exit 1
fi

blocking=0 accepted=0 informational=0
while IFS= read -r line; do
  [ -n "$line" ] || continue
  rule=$(printf '%s\n' "$line" | awk -F: '{ print $6 }')
  case "$rule" in
    W3002) accepted=$((accepted + 1)) ;;
    E* | W* | I3011) blocking=$((blocking + 1)); echo "cfn-lint: $line" >&2 ;;
    I*) informational=$((informational + 1)); echo "cfn-lint (informational): $line" >&2 ;;
    *) blocking=$((blocking + 1)); echo "cfn-lint: unexpected output: $line" >&2 ;;
  esac
done <<<"$output"

summary="$(cfn-lint --version 2>&1) on $template: $blocking blocking, $accepted W3002 (packaged Code), $informational other informational"
if [ "$blocking" -gt 0 ]; then
  echo "cfn-lint: FAILED: $summary" >&2
  exit 1
fi
echo "cfn-lint: passed: $summary" >&2
exit 0
