#!/usr/bin/env bash
# The Slurm recipe on a real scheduler: a single-node cluster on this machine
# (tests/slurm/cluster.sh) runs deploy/slurm/simulate.sbatch with the
# README's commands, and the merged shards must equal the unsharded run byte
# for byte:
#
#   1. `sbatch --array=1-16`, as the README says, then `creatormix merge`;
#   2. more shards than the cluster's MaxArraySize (17 here) allows tasks:
#      48 shards on --array=1-16; one task is cancelled mid-run (after its
#      first shard), `merge` names the shards it left missing, the task is
#      resubmitted alone (`TASKS=16 sbatch --array=5`), skips the shard it
#      wrote and computes the others, and the merge gives the same bytes;
#   3. the Kubernetes Indexed Job's per-index command line
#      (deploy/kubernetes/simulate-job.yaml), run for every index.
#
#   tests/slurm/run.sh PATH/TO/creatormix
#
# Needs root, Debian's slurm-wlm and munge (.ci/run installs them).
set -euo pipefail

bin=$(realpath "${1:?usage: tests/slurm/run.sh PATH/TO/creatormix}")
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
cluster=$work/cluster
trap '"$repo/tests/slurm/cluster.sh" stop "$cluster"' EXIT

fail() {
  echo "tests/slurm/run.sh: $*" >&2
  exit 1
}
say() { echo "== $*"; }

# The commands below are the README's, word for word.
readme_has() {
  grep -qxF -- "$1" <(sed 's/^ *//' "$repo/README.md") \
    || fail "the README does not show the command \`$1\`"
}

# sbatch's output is "Submitted batch job N"; prints N.
submit() {
  local line
  line=$(eval "$1") || fail "sbatch refused \`$1\`"
  echo "${line##* }"
}

# Waits until no task of job $1 is pending or running (10 minutes at most).
wait_for() {
  for _ in $(seq 1200); do
    if [ -z "$(squeue -h -j "$1" 2>/dev/null)" ]; then
      return 0
    fi
    sleep 0.5
  done
  squeue >&2
  fail "job $1 did not finish in 10 minutes"
}

# The state of task $2 of array job $1.
state() {
  scontrol show job "$1_$2" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -n 1 | cut -d= -f2
}

# Every task of array job $1 (tasks $2..$3) completed.
all_completed() {
  for k in $(seq "$2" "$3"); do
    [ "$(state "$1" "$k")" = COMPLETED ] || {
      cat logs/*"_$k.out" >&2 2>/dev/null || true
      fail "task $k of job $1 ended $(state "$1" "$k")"
    }
  done
}

eval "$("$repo/tests/slurm/cluster.sh" start "$cluster")"
say "cluster up: $(sinfo -h -o '%P %D node(s) %c CPUs %T')"

# A working folder laid out as the repository (the scripts use its paths),
# with the binary under test on the PATH of the jobs (sbatch passes it on).
mkdir -p "$work/run/bin"
cp -r "$repo/deploy" "$repo/scenarios" "$work/run/"
cp "$bin" "$work/run/bin/creatormix"
export PATH=$work/run/bin:$PATH
cd "$work/run"

# The run: the script's own scenario (the 1,000-creator agency roster),
# re-optimised, with few enough samples for a test.
export SCENARIO=scenarios/agency-roster.yaml SAMPLES=1600 SEED=1 MODE=--reoptimize
creatormix simulate "$SCENARIO" --samples "$SAMPLES" --seed "$SEED" $MODE --threads 2 \
  --format json --output whole.json
say "unsharded run: $(wc -c < whole.json) bytes"

# 1. The README's array job.
for command in "mkdir -p logs" "sbatch --array=1-16 deploy/slurm/simulate.sbatch" \
  "creatormix merge shards/shard-*.json --format json --output summary.json"; do
  readme_has "$command"
done
mkdir -p logs
job=$(submit "sbatch --array=1-16 deploy/slurm/simulate.sbatch")
say "array job $job submitted (16 tasks)"
wait_for "$job"
all_completed "$job" 1 16
creatormix merge shards/shard-*.json --format json --output summary.json
cmp whole.json summary.json || fail "the merged shards differ from the unsharded run"
say "16 shards merged: identical to the unsharded run"

# 2. More shards than MaxArraySize allows tasks, and a task killed mid-run.
readme_has "TASKS=16 sbatch --array=5 deploy/slurm/simulate.sbatch"
grep -qE '^ *SHARDS=[0-9]+ sbatch --array=1-[0-9]+ deploy/slurm/simulate.sbatch$' "$repo/README.md" \
  || fail "the README does not show how to run more shards than tasks"
if sbatch --array=1-48 deploy/slurm/simulate.sbatch >/dev/null 2>&1; then
  fail "the cluster took a 48-task array: MaxArraySize is not in force"
fi
export OUT=shards-48
job=$(submit "SHARDS=48 sbatch --array=1-16 deploy/slurm/simulate.sbatch")
say "array job $job submitted (16 tasks, 48 shards)"
# Task 5 computes shards 5, 21 and 37: cancel it once shard 5 is written.
for _ in $(seq 6000); do
  [ -s "$OUT/shard-5.json" ] && break
  sleep 0.1
done
[ "$(state "$job" 5)" = RUNNING ] || fail "task 5 was not running after its first shard"
scancel "${job}_5"
say "task 5 cancelled after its first shard"
wait_for "$job"
[ "$(state "$job" 5)" = CANCELLED ] || fail "task 5 ended $(state "$job" 5), not CANCELLED"
for k in 1 2 3 4 6 7 8 9 10 11 12 13 14 15 16; do
  all_completed "$job" "$k" "$k"
done
[ ! -e "$OUT/shard-21.json" ] && [ ! -e "$OUT/shard-37.json" ] \
  || fail "the cancelled task left a shard file of a shard it had not finished"
if message=$(creatormix merge "$OUT"/shard-*.json --format json 2>&1 >/dev/null); then
  fail "merge took a run with missing shards"
fi
grep -qF "shards 21, 37 of 48 missing" <<<"$message" || fail "merge said: $message"
say "merge names what is missing: $message"
job=$(submit "TASKS=16 SHARDS=48 sbatch --array=5 deploy/slurm/simulate.sbatch")
wait_for "$job"
all_completed "$job" 5 5
grep -qF "shard 5/48: already written" logs/*"${job}_5.out" \
  || fail "the resubmitted task did not skip the shard it had written"
creatormix merge "$OUT"/shard-*.json --format json --output summary-48.json
cmp whole.json summary-48.json || fail "the 48 merged shards differ from the unsharded run"
say "48 shards on 16 tasks, task 5 resubmitted alone: identical to the unsharded run"

# 3. The Kubernetes Indexed Job's per-index command, for every index: the
# folded `args` string, with the job's environment, the scenario where the
# ConfigMap mounts it and the shared volume in a folder.
job_yaml=deploy/kubernetes/simulate-job.yaml
command=$(awk '/^ *- >-$/ { match($0, /^ */); indent = RLENGTH; grab = 1; next }
  grab { match($0, /^ */); if (RLENGTH <= indent) exit; sub(/^ +/, ""); print }' "$job_yaml" | paste -sd ' ')
completions=$(awk '/^ *completions:/ { print $2 }' "$job_yaml")
[ -n "$command" ] && [ -n "$completions" ] || fail "cannot read the command of $job_yaml"
grep -qF -- "- { name: SHARDS, value: \"$completions\" }" "$job_yaml" \
  || fail "$job_yaml: SHARDS is not its completions ($completions)"
mkdir -p k8s/scenario k8s/shards
cp scenarios/agency-roster.yaml k8s/scenario/scenario.yaml
cp scenarios/agency-roster.csv k8s/scenario/
command=${command//\/scenario\//$PWD/k8s/scenario/}
command=${command//\/shards\//$PWD/k8s/shards/}
for ((index = 0; index < completions; index++)); do
  JOB_COMPLETION_INDEX=$index SHARDS=$completions /bin/sh -c "$command" 2>/dev/null \
    || fail "index $index: \`$command\` failed"
done
creatormix merge k8s/shards/shard-*.json --format json --output summary-k8s.json
cmp whole.json summary-k8s.json || fail "the Kubernetes shards differ from the unsharded run"
say "Kubernetes Indexed Job: $completions indices merged, identical to the unsharded run"
