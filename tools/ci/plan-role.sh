#!/usr/bin/env bash
# The ARN of an environment's read-only plan role, from the repository variable AWS_PLAN_ROLE_ARNS
# (a JSON map from environment to ARN, passed in ROLE_ARNS; see the top of plan.yml):
#
#   arn=$(tools/ci/plan-role.sh <environment>) || exit 1
#
# Prints a GitHub error annotation saying what to set, and exits 1, when the map has no entry.
set -uo pipefail
environment=${1:?environment}
roles=${ROLE_ARNS:-}
if [ -z "$roles" ]; then roles='{}'; fi
arn=$(jq -r --arg env "$environment" '.[$env] // empty' <<< "$roles") || arn=""
if [ -z "$arn" ]; then
  echo "::error title=No plan role::Set the repository variable AWS_PLAN_ROLE_ARNS to a JSON map with an entry for \"$environment\" (see the top of plan.yml)." >&2
  exit 1
fi
echo "$arn"
