#!/usr/bin/env bash
# Plans one phase of one environment for the pull request's comment (plan-environment.yml):
#
#   tools/ci/plan-phase.sh <environment> <phase>
#
# In the working directory: cdktf.out/ (the synthesized stacks), and afterwards plans/<stack>.json
# (for the data-loss guard; never uploaded: plans may hold secrets), summaries/<stack>.json (counts
# and addresses, for the comment) and known/<stack>.json (output names, for waits-for).
# Stacks of earlier phases are read, not planned: their state's output names. Then each stack of
# the phase in dependency order: it waits (its upstream is not applied yet, or it reads an output
# this change adds or changes upstream; a `waiting` summary, not a failure) or is planned. A stack
# that fails is recorded and the others still planned, so the comment shows as much as possible.
# Exit 1 when a stack failed.
set -uo pipefail
environment=${1:?environment}
phase=${2:?phase}
export TF_PLUGIN_CACHE_DIR="${RUNNER_TEMP:-/tmp}/terraform-plugins"
mkdir -p "$TF_PLUGIN_CACHE_DIR" plans summaries known
upstreams=$(npx tsx tools/ci/rounds.ts upstreams "$environment" "$phase") || exit 1
stacks=$(npx tsx tools/ci/rounds.ts stacks "$environment" "$phase") || exit 1
for stack in $upstreams; do
  dir="cdktf.out/stacks/$stack"
  if ! { terraform -chdir="$dir" init -input=false -no-color > /dev/null \
    && terraform -chdir="$dir" state pull | npx tsx tools/ci/waits-for.ts record --stack "$stack" --known known --state -; }; then
    npx tsx tools/ci/waits-for.ts record --stack "$stack" --known known --failed
  fi
done
status=0
for stack in $stacks; do
  dir="cdktf.out/stacks/$stack"
  code=0
  reason=$(npx tsx tools/ci/waits-for.ts check --stack "$stack" --known known --summary "summaries/$stack.json") || code=$?
  if [ "$code" -eq 10 ]; then
    echo "::notice title=$stack waits::$reason"
    continue
  fi
  echo "::group::plan $stack"
  if [ "$code" -eq 0 ] \
    && terraform -chdir="$dir" init -input=false -no-color \
    && terraform -chdir="$dir" state pull | npx tsx tools/ci/waits-for.ts record --stack "$stack" --known known --state - \
    && terraform -chdir="$dir" plan -input=false -no-color -lock-timeout=10m -out=tfplan \
    && terraform -chdir="$dir" show -json tfplan > "plans/$stack.json" \
    && npx tsx tools/ci/waits-for.ts record --stack "$stack" --known known --plan "plans/$stack.json"; then
    npx tsx tools/ci/plan-comment.ts summarize --stack "$stack" --plan "plans/$stack.json" --out "summaries/$stack.json"
  else
    echo "::error title=terraform plan failed::$stack"
    rm -f "plans/$stack.json"
    npx tsx tools/ci/waits-for.ts record --stack "$stack" --known known --failed
    npx tsx tools/ci/plan-comment.ts summarize --stack "$stack" --failed --out "summaries/$stack.json"
    status=1
  fi
  echo "::endgroup::"
done
exit "$status"
