#!/usr/bin/env bash
# Mutation testing of mlcsc's core modules with cargo-mutants (README, "Mutation testing").
#
# Stage 1 runs every mutant of the given files against a fast subset of the suite (the tests
# of the core model and of Theorem 2). A mutant caught there is caught by the full
# `cargo test` too, so stage 1 alone gives a lower bound on the score. Stage 2 re-runs only
# stage 1's survivors and timeouts (`--iterate`) against the whole `cargo test`.
#
#   cargo install cargo-mutants --locked
#   scripts/mutants.sh [output-folder] [file ...]
#
# Without files, the core modules below are examined. `--in-place` mutates this checkout and
# restores every file after each mutant, so run it in a clean worktree of its own:
#   git worktree add ../mlcsc-mutants HEAD && cd ../mlcsc-mutants && scripts/mutants.sh
set -euo pipefail
output=${1:-mutants-core}
shift || true
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    files=(src/theorems/theorem2.rs src/enclosure.rs src/norms.rs src/coherence.rs
        src/operators.rs src/pursuit/thresholding.rs src/pursuit/layered.rs src/io/number.rs
        src/theorems/verdict.rs src/tolerance.rs src/scalar.rs)
fi
file_args=()
for f in "${files[@]}"; do file_args+=(--file "$f"); done
# The library's unit tests and the one test binary (tests/all); the doc-tests and the
# examples are left to stage 2.
fast_tests=(--cargo-arg=--lib --cargo-arg=--test --cargo-arg=all)
common=(--in-place --profile mutants --baseline skip --timeout 90 --build-timeout 300
    --output "$output")
echo "stage 1: ${files[*]} against the fast subset"
cargo mutants "${common[@]}" "${fast_tests[@]}" "${file_args[@]}" -- --locked || true
echo "stage 2: stage 1's survivors against the whole cargo test"
cargo mutants "${common[@]}" --iterate "${file_args[@]}" -- --locked || true
count() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }
first="$output/mutants.out.old"
second="$output/mutants.out"
caught1=$(count "$first/caught.txt")
unviable=$(count "$first/unviable.txt")
caught2=$(count "$second/caught.txt")
timeout2=$(count "$second/timeout.txt")
missed2=$(count "$second/missed.txt")
viable=$((caught1 + caught2 + timeout2 + missed2))
echo "viable mutants: $viable (unviable, not counted: $unviable)"
echo "caught by the fast subset: $caught1; by the whole suite: $caught2 more; timed out: $timeout2"
echo "missed: $missed2 (listed in $second/missed.txt)"
if [ "$viable" -gt 0 ]; then
    echo "score: $(( (caught1 + caught2 + timeout2) * 1000 / viable ))‰ of viable mutants caught or timed out"
fi
