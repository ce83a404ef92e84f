# tests/pipeline/qemu-error.sh: qemu that cannot start (a bad option, a
# binary that is not there) aborts the run with qemu's own words on
# stderr, and marks nothing: the session is as it was.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

make_guest_repo okay okay failed
c2=$(sha c2)

guest_config "$TEST_DIR/option.conf" boot.qemu-args+=-no-such-option
halve start --config "$TEST_DIR/option.conf" c3 c1 >/dev/null 2>&1
log_before=$(cat .git/BISECT_LOG)
run_pipeline run
fails -m "a bad qemu option: run exits non-zero" test "$rc" = 0
like "$err" '^halve: ' "stderr: halve: ..."
like "$err" 'no-such-option' "stderr has qemu's own message"
diag "stderr: $err"
is "$(git for-each-ref --format='%(refname)' "refs/bisect/*$c2")" "" "c2 is not marked"
is "$(cat .git/BISECT_LOG)" "$log_before" "BISECT_LOG is unchanged"
is "$(status_of current)" "$c2" "c2 is still the commit to test"
is "$(cd / && processes_in "$REPO_DIR")" "" "no process left in the work tree"
halve reset >/dev/null 2>&1

guest_config "$TEST_DIR/missing.conf" boot.qemu-prog=/nonexistent/qemu-system-x86_64
halve start --config "$TEST_DIR/missing.conf" c3 c1 >/dev/null 2>&1
run_pipeline run
fails -m "a qemu that does not exist: run exits non-zero" test "$rc" = 0
like "$err" '^halve: ' "stderr: halve: ..."
like "$err" '/nonexistent/qemu-system-x86_64' "stderr names the missing program"
diag "stderr: $err"
is "$(git for-each-ref --format='%(refname)' "refs/bisect/*$c2")" "" "c2 is not marked"
is "$(status_of current)" "$c2" "c2 is still the commit to test"

done_testing
