#!/bin/bash
# Eligibility engine throughput: elig_decide over synthetic residents with
# the shipped policy (tests/bench/bench_eligibility.c). Runs from the
# repository root (scripts/bench cds there).
set -u
"$BENCH_BUILD/bench_eligibility" policy/banyuwangi.policy 1000000
