#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600) on the nightly toolchain, one after
# the other, seeded from corpus/ (see seed_corpus.sh). Prints, per target, the executions
# libFuzzer reports and whether it found a crash (artifacts/<target>/ holds any).
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
[ -d corpus ] || ./seed_corpus.sh >/dev/null
mkdir -p logs
for target in $(cargo +nightly fuzz list); do
    mkdir -p "corpus/$target"
    cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 \
        > "logs/$target.log" 2>&1
    status=$?
    runs=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "logs/$target.log" | tail -n 1)
    echo "$target: exit $status; ${runs:-no summary (see logs/$target.log)}"
done
