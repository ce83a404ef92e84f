# tests/pipeline/hang.sh: a guest that stops talking is a hang after
# [boot] silence, a guest that talks forever is stopped at [boot]
# timeout; both mean what [boot] hang says, and qemu is gone afterwards.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

make_guest_repo okay hang failed
c2=$(sha c2)
guest_config "$TEST_DIR/hang.conf" boot.silence=8s
halve start --config "$TEST_DIR/hang.conf" c3 c1 >/dev/null 2>&1
run_pipeline run
fails -m "hang = skip (the default): only skipped commits left, run exits non-zero" test "$rc" = 0
is "$(verdict_of c2 verdict)" skip "c2: verdict skip"
is "$(verdict_of c2 reason)" "hang: no console output for 8s" "c2: reason: hang: no console output for 8s"
ok -m "c2: console.log has what the guest said before it hung" \
	grep -q "guest: hanging now" "$(step_dir c2)/console.log"
ok -m "c2: a skip ref" git rev-parse -q --verify "refs/bisect/skip-$c2"
is "$(cd / && processes_in "$REPO_DIR")" "" "qemu is gone: no process left in the work tree"
halve reset >/dev/null 2>&1

# A guest that prints a line a second and never a verdict: the timeout,
# here with hang = bad.
make_guest_repo okay tick failed
c2=$(sha c2)
guest_config "$TEST_DIR/tick.conf" boot.silence=8s boot.timeout=25s boot.hang=bad
halve start --config "$TEST_DIR/tick.conf" c3 c1 >/dev/null 2>&1
run_pipeline run
is "$rc" 0 "hang = bad: run exits 0"
is "$(found_in "$out")" "$c2" "hang = bad: the ticking commit is the first bad one"
is "$(verdict_of c2 verdict)" bad "c2: verdict bad"
is "$(verdict_of c2 reason)" "timeout after 25s" "c2: reason: timeout after 25s"
ok -m "c2: the console ticked until then" grep -q "guest: tick 3" "$(step_dir c2)/console.log"
is "$(cd / && processes_in "$REPO_DIR")" "" "qemu is gone: no process left in the work tree"

done_testing
