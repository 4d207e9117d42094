#!/usr/bin/env bash
# Compares every output of two creatormix binaries, byte for byte, apart
# from wall-clock seconds: JSON, table, CSV and Markdown of every command on
# every bundled scenario (both solvers where the default build can prove the
# optimum), HTML reports, SVG charts, per-sample CSV, shard files and their
# merge, validate, schema, completions, manual pages, --help, and the
# messages and exit codes of failing runs. Seeds are fixed.
#
#   scripts/compare-outputs.sh BASE_BINARY NEW_BINARY [WORK_DIR]
#   scripts/compare-outputs.sh --base-rev REV [NEW_BINARY]
#
# With --base-rev, REV is built (HiGHS feature, release) in a temporary git
# worktree sharing $CARGO_TARGET_DIR, and NEW_BINARY defaults to this
# checkout built the same way. Both binaries need HiGHS: `--solver microlp`
# covers the default build's solver. Exits 0 when every output is the
# same, 1 with the differences otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/creatormix-target}"

build_here() { # DIR OUT: release build with HiGHS of the checkout in DIR, copied to OUT
  (cd "$1" && cargo build --release --features highs --quiet)
  cp "$CARGO_TARGET_DIR/release/creatormix" "$2"
}

if [[ "${1:-}" == "--base-rev" ]]; then
  rev=${2:?--base-rev needs a revision}
  work=$(mktemp -d)
  git worktree add --detach "$work/tree" "$rev" >/dev/null
  trap 'git worktree remove --force "$work/tree"' EXIT
  build_here "$work/tree" "$work/base"
  base="$work/base"
  if [[ -n "${3:-}" ]]; then new=$3; else build_here "$root" "$work/new"; new="$work/new"; fi
  out="$work/outputs"
else
  base=${1:?usage: scripts/compare-outputs.sh BASE_BINARY NEW_BINARY [WORK_DIR]}
  new=${2:?usage: scripts/compare-outputs.sh BASE_BINARY NEW_BINARY [WORK_DIR]}
  out=${3:-$(mktemp -d)}
fi
# Both run under the name users type, which --help prints.
mkdir -p "$out/bin-base" "$out/bin-new"
cp "$base" "$out/bin-base/creatormix"
cp "$new" "$out/bin-new/creatormix"
base="$out/bin-base/creatormix"
new="$out/bin-new/creatormix"

# The runs: one per line, NAME then the arguments; `@` is the run's folder
# for files the command writes. Scenario paths stay relative, as a user
# types them, so that both binaries print the same paths.
runs() {
  local s
  for s in scenarios/*.yaml; do
    local n
    n=$(basename "$s" .yaml)
    echo "validate-$n validate $s"
    local solvers="highs microlp"
    [[ $n == agency-roster ]] && solvers=highs # microlp stops at its time limit
    for solver in $solvers; do
      for f in table json csv markdown; do
        echo "solve-$n-$solver-$f solve $s --solver $solver --format $f"
      done
      echo "solve-$n-$solver-report solve $s --solver $solver --report @/solve-$n-$solver.html --output @/solve-$n-$solver.txt"
    done
    if [[ $n == cheapest-launch ]]; then # target mode: simulate refuses it
      echo "simulate-$n simulate $s --samples 10"
    fi
    [[ $n == agency-roster || $n == cheapest-launch ]] && continue
    for f in table json csv markdown; do
      echo "simulate-$n-$f simulate $s --samples 300 --seed 7 --format $f"
    done
    echo "simulate-$n-files simulate $s --samples 300 --seed 7 --samples-out @/samples-$n.csv --plot @/plots-$n --report @/simulate-$n.html"
    echo "simulate-$n-reopt simulate $s --samples 40 --seed 3 --reoptimize --solver microlp --samples-out @/reopt-$n.csv --plot @/reopt-plots-$n --report @/reopt-$n.html"
    echo "simulate-$n-reopt-json simulate $s --samples 40 --seed 3 --reoptimize --solver highs --format json"
    echo "simulate-$n-robust simulate $s --samples 200 --seed 5 --robust cvar --robust-samples 60 --solver highs"
    echo "simulate-$n-robust-mean simulate $s --samples 200 --seed 5 --robust mean --robust-samples 40 --solver highs --format json"
    echo "simulate-$n-tornado simulate $s --samples 100 --seed 2 --tornado --solver highs --plot @/tornado-$n --report @/tornado-$n.html"
    for k in 1 2 3; do
      echo "shard-$n-$k simulate $s --samples 90 --seed 4 --shard $k/3 --output @/shard-$n-$k.json --samples-out @/shard-samples-$n-$k.csv"
    done
    for f in table json csv markdown; do
      echo "merge-$n-$f merge @/shard-$n-3.json @/shard-$n-1.json @/shard-$n-2.json --format $f"
    done
    echo "merge-$n-files merge @/shard-$n-1.json @/shard-$n-2.json @/shard-$n-3.json --samples-out @/merged-$n.csv --plot @/merged-plots-$n --output @/merged-$n.txt"
    for f in table json csv markdown; do
      echo "sweep-budget-$n-$f sweep $s --budget 20000:140000:20000 --solver microlp --format $f"
      echo "frontier-$n-$f frontier $s --goals awareness,conversions --points 6 --solver microlp --format $f"
    done
    echo "sweep-budget-$n-files sweep $s --budget 20000:140000:20000 --plot @/sweep-$n --report @/sweep-$n.html --output @/sweep-$n.txt"
    echo "frontier-$n-files frontier $s --goals awareness,conversions --points 6 --plot @/frontier-$n --report @/frontier-$n.html --output @/frontier-$n.txt"
    echo "frontier3-$n frontier $s --goals awareness,engagement,conversions --points 4 --format json"
  done
  # Weight sweeps need a weights goal.
  for n in ten-micro-vs-one-mega product-launch thousand-vs-one local-coffee-shop; do
    for f in table json csv markdown; do
      echo "sweep-weight-$n-$f sweep scenarios/$n.yaml --weight conversions=0:1:0.1 --solver microlp --format $f"
    done
    echo "sweep-grid-$n sweep scenarios/$n.yaml --weight awareness=0:1:0.25 --weight engagement=0:1:0.25 --format json"
    echo "sweep-weight-$n-files sweep scenarios/$n.yaml --weight awareness=0:1:0.2 --plot @/wsweep-$n --report @/wsweep-$n.html --output @/wsweep-$n.txt"
  done
  echo "sweep-agency sweep scenarios/agency-roster.yaml --budget 100000:300000:100000 --solver highs --format json"
  echo "simulate-agency simulate scenarios/agency-roster.yaml --samples 200 --seed 9 --solver highs"
  echo "simulate-roster200-reopt simulate benches/scenarios/roster-200.yaml --samples 60 --seed 11 --reoptimize --solver highs --samples-out @/roster200.csv"
  echo "simulate-roster200-reopt-milp simulate benches/scenarios/roster-200.yaml --samples 20 --seed 11 --reoptimize --solver highs --sample-solver milp --format json"
  echo "simulate-uncertain simulate tests/fixtures/uncertain.yaml --samples 200 --seed 1 --format json"
  echo "solve-infeasible solve tests/fixtures/infeasible.yaml"
  echo "solve-infeasible-json solve tests/fixtures/infeasible.yaml --format json"
  echo "sweep-infeasible sweep tests/fixtures/infeasible.yaml --budget 1000:3000:1000"
  for f in table json csv markdown; do
    echo "compare-$f compare scenarios/ten-micro-vs-one-mega.yaml scenarios/ten-micro-vs-one-mega-conversions.yaml scenarios/cheapest-launch.yaml --solver microlp --format $f"
    echo "compare-weights-$f compare scenarios/product-launch.yaml scenarios/local-coffee-shop.yaml --weights awareness=1 --weights conversions=0.7,engagement=0.3 --format $f"
  done
  echo "compare-infeasible compare scenarios/local-coffee-shop.yaml tests/fixtures/infeasible.yaml"
  for m in tests/malformed/*.yaml; do
    echo "malformed-$(basename "$m" .yaml) validate $m"
  done
  echo "malformed-json solve tests/malformed/10-negative-budget.yaml --format json"
  echo "missing-file solve no/such/file.yaml"
  echo "usage-plot-shard simulate scenarios/product-launch.yaml --shard 1/2 --plot @/x"
  echo "usage-report-shard simulate scenarios/product-launch.yaml --shard 1/2 --report @/x.html"
  echo "usage-robust-reopt simulate scenarios/product-launch.yaml --robust cvar --reoptimize"
  echo "usage-weight-values sweep scenarios/cheapest-launch.yaml --weight awareness=0:1:0.5"
  echo "usage-weight-twice sweep scenarios/product-launch.yaml --weight awareness=0:0.5:0.5 --weight awareness=0:1:0.5"
  echo "usage-bad-range sweep scenarios/product-launch.yaml --budget 3:1:1"
  echo "usage-bad-goals frontier scenarios/product-launch.yaml --goals awareness"
  echo "merge-mismatch merge @/shard-product-launch-1.json @/shard-local-coffee-shop-2.json"
  echo "merge-missing merge @/shard-product-launch-1.json @/shard-product-launch-3.json"
  echo "schema schema"
  echo "schema-file schema --output @/schema.json"
  for shell in bash zsh fish; do echo "completions-$shell completions $shell"; done
  echo "man man"
  echo "man-dir man --dir @/man"
  echo "help --help"
  for c in solve validate schema simulate merge sweep frontier compare completions man; do
    echo "help-$c $c --help"
  done
  echo "version --version"
}

# Wall-clock seconds are the only figures allowed to differ.
mask() {
  sed -E \
    -e 's/"(seconds|build_seconds)": ?[-0-9.e+]+/"\1": T/g' \
    -e 's/[0-9]+(\.[0-9]+)? s\b/T s/g' \
    -e 's/[0-9]+(\.[0-9]+)?&nbsp;s\b/T\&nbsp;s/g' \
    -e 's/[0-9]+(\.[0-9]+)? seconds/T seconds/g' \
    -e 's/\.tmp[A-Za-z0-9]{6}/.tmpXXXXXX/g'
}

run_all() { # BINARY DEST
  local bin=$1 dest=$2 name args
  rm -rf "$out/run" && mkdir -p "$out/run"
  while read -r name args; do
    # shellcheck disable=SC2086 # the arguments are split on purpose
    set -- ${args//@/$out/run}
    code=0
    "$bin" "$@" >"$out/run/$name.stdout" 2>"$out/run/$name.stderr" </dev/null || code=$?
    echo "$code" >"$out/run/$name.code"
  done < <(runs)
  # Paths of the run folder print the same for both binaries.
  find "$out/run" -type f | while read -r f; do
    mask <"$f" | sed "s#$out/run#RUN#g" >"$f.masked" && mv "$f.masked" "$f"
  done
  rm -rf "$dest" && mv "$out/run" "$dest"
}

mkdir -p "$out"
echo "outputs in $out; $(runs | wc -l) runs per binary" >&2
# The base's outputs are kept with its checksum and reused while it is the same binary.
sum=$(sha256sum "$base" | cut -d' ' -f1)-$(runs | sha256sum | cut -c1-16)
if [[ -f "$out/base.sum" && $(cat "$out/base.sum") == "$sum" && -d "$out/base" ]]; then
  echo "reusing the base outputs in $out/base" >&2
else
  run_all "$base" "$out/base"
  echo "$sum" >"$out/base.sum"
fi
run_all "$new" "$out/new"
if diff -r "$out/base" "$out/new" >"$out/diff.txt"; then
  echo "identical: $(find "$out/new" -type f | wc -l) files of $(runs | wc -l) runs" >&2
else
  head -200 "$out/diff.txt"
  echo "DIFFERENT: $(grep -c '^diff\|^Only' "$out/diff.txt") files differ; all in $out/diff.txt" >&2
  exit 1
fi
