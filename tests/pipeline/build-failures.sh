# tests/pipeline/build-failures.sh: what a build that fails means, per
# [build] failure (skip by default, bad, abort); a "successful" build
# that made no initrd.img (a skip with that reason); and a build that
# prints megabytes without a newline (logged whole, halve's memory
# bounded).
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

# With c1 good and c3 bad, c2 is the one commit a run tests.
make_guest_repo okay buildfail failed
c2=$(sha c2)

guest_config "$TEST_DIR/skip.conf"
halve start --config "$TEST_DIR/skip.conf" c3 c1 >/dev/null 2>&1
run_pipeline run
fails -m "failure = skip (the default): only skipped commits left, run exits non-zero" test "$rc" = 0
is "$(listed_in "$out")" "$(printf '%s\n' "$c2" "$(sha c3)" | sort)" \
	"it lists the candidates: c2 and c3"
is "$(verdict_of c2 verdict)" skip "c2: verdict skip"
is "$(verdict_of c2 reason)" "build failed (exit 2)" "c2: reason: build failed (exit 2)"
ok -m "c2: a skip ref, as git bisect skip makes" git rev-parse -q --verify "refs/bisect/skip-$c2"
ok -m "c2: build.log has the build's error" \
	grep -q "build: error: this commit does not build" "$(step_dir c2)/build.log"
ok -m "c2: no console.log worth the name: nothing booted" test ! -s "$(step_dir c2)/console.log"
halve reset >/dev/null 2>&1

guest_config "$TEST_DIR/bad.conf" build.failure=bad
halve start --config "$TEST_DIR/bad.conf" c3 c1 >/dev/null 2>&1
run_pipeline run
is "$rc" 0 "failure = bad: run exits 0"
is "$(found_in "$out")" "$c2" "failure = bad: c2 is the first bad commit"
is "$(verdict_of c2 verdict)" bad "c2: verdict bad"
is "$(verdict_of c2 reason)" "build failed (exit 2)" "c2: reason: build failed (exit 2)"
halve reset >/dev/null 2>&1

guest_config "$TEST_DIR/abort.conf" build.failure=abort
halve start --config "$TEST_DIR/abort.conf" c3 c1 >/dev/null 2>&1
run_pipeline run
fails -m "failure = abort: run exits non-zero" test "$rc" = 0
like "$err" '^halve: ' "failure = abort: stderr says why, as halve: ..."
is "$(git for-each-ref --format='%(refname)' "refs/bisect/*$c2")" "" \
	"failure = abort: c2 is not marked"
is "$(status_of current)" "$c2" "failure = abort: c2 is still the commit to test"
halve reset >/dev/null 2>&1

# A build that exits 0 but leaves no initrd.img to boot.
make_guest_repo okay noinitrd failed
guest_config "$TEST_DIR/skip.conf"
halve start --config "$TEST_DIR/skip.conf" c3 c1 >/dev/null 2>&1
run_pipeline run
is "$(verdict_of c2 verdict)" skip "no initrd.img after the build: verdict skip"
like "$(verdict_of c2 reason)" 'initrd\.img' "... and the reason names initrd.img"
halve reset >/dev/null 2>&1

# 32 MiB of build output without a newline: all of it in build.log, and
# halve's peak memory (read by the build itself, from /proc) well under it.
make_guest_repo okay buildspew:33554432+okay failed
write_hwm_script "$TEST_DIR/hwm"
guest_config "$TEST_DIR/skip.conf"
halve start --config "$TEST_DIR/skip.conf" c3 c1 >/dev/null 2>&1
run_pipeline run
is "$(found_in "$out")" "$(sha c3)" "a build spewing 32 MiB on one line still ends the run (c2 good)"
is "$(verdict_of c2 verdict)" good "c2: verdict good"
size=$(wc -c <"$(step_dir c2)/build.log")
ok -m "build.log holds the 32 MiB line ($size bytes)" test "$size" -ge 33554432
hwm=$(cat "$TEST_DIR/hwm.log" 2>/dev/null)
like "$hwm" '^[0-9]+$' "halve's VmHWM was read during the build (${hwm:-none} kB)"
ok -m "halve's peak RSS stayed under 24 MiB (${hwm:-?} kB)" test "${hwm:-999999}" -lt 24576

done_testing
