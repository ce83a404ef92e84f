# tests/pipeline/flaky.sh: a real guest whose bad kernel fails only half
# of its boots (it passes the first, fails the second, and so on), found
# with confidence by the pipeline under [verdict] confidence, where a
# plain bisection is misled. A commit run again boots the build its
# first run kept: each commit is built once however often it runs, and
# every run keeps its own logs.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

# c4 brings the bug; c4..c6 fail every other boot, their first passes.
make_guest_repo okay okay okay flaky flaky flaky
flaky_qemu "$TEST_DIR/qemu"
guest_config "$TEST_DIR/halve.conf" boot.qemu-prog="$TEST_DIR/qemu"

# Believed, the first pass of c4 (or c5) is taken for good: wrong.
capture halve start --config "$TEST_DIR/halve.conf" c6 c1
is "$rc" 0 "start c6 c1"
run_pipeline run
is "$rc" 0 "a believing run ends"
found=$(found_in "$out")
ok -m "and names a wrong commit (c5 or c6, not c4): $(git log -1 --format=%s "$found" 2>/dev/null)" \
	test -n "$found" -a "$found" != "$(sha c4)"
halve reset >/dev/null 2>&1 || bail_out "reset failed"
# the step directories outlive a reset (and their builds would be
# booted again): gone, so that what follows counts this session's runs
rm -rf .git/halve/steps "$TEST_DIR/boots"
mkdir "$TEST_DIR/boots"
: >"$TEST_DIR/builds.log"

# Weighed: the right commit, and how sure.
printf '[verdict]\nconfidence = 0.95\n' >>"$TEST_DIR/halve.conf"
capture halve start --config "$TEST_DIR/halve.conf" c6 c1
is "$rc" 0 "start again with [verdict] confidence = 0.95"
run_pipeline run
is "$rc" 0 "the weighed run exits 0"
[ "$rc" = 0 ] || tap_show "halve's stderr" "$TEST_DIR/.cap-err"
is "$(found_in "$out")" "$(sha c4)" "it names c4, the commit that brought the flaky failure"
like "$out" "confidence 0\.9[5-9][0-9]* after [0-9]+ runs on [0-9]+ commits" \
	"and says how sure, after how many runs on how many commits"
runs=$(status_of runs)
commits=$(status_of commits)
ok -m "some commit ran more than once ($runs runs on $commits commits)" \
	test "$runs" -gt "$commits"
is "$(status_of observation | wc -l)" "$((runs + 2))" \
	"status --porcelain: one observation line per run, and c6's and c1's from the start"

# Each commit built once: a run again boots the kept build.
builds=$(wc -l <"$TEST_DIR/builds.log")
is "$builds" "$commits" "each commit was built once ($builds builds for $runs runs)"
boots=$(ls "$TEST_DIR"/boots/* | grep -c '^[0-9]')
is "$boots" "$runs" "and booted once per run"
dirs=$(ls .git/halve/steps | wc -l)
is "$dirs" "$runs" "every run kept its own step directory (DIR, DIR.1, ...)"
again=$(grep -l "not built again: initrd.img put back" .git/halve/steps/*/build.log | wc -l)
is "$again" $((runs - commits)) "the runs again say that they booted the kept build"
unkept=
for d in .git/halve/steps/*; do
	case $d in
	*.[0-9]*) ;;
	*) [ -d "$d/artifacts" ] || unkept="$unkept $d" ;;
	esac
done
is "$unkept" "" "the newest run of every commit holds the kept build"

# c4's runs: passes and failures alternate, and the console shows each.
c4_runs=$(boots_of c4)
ok -m "c4 ran at least twice ($c4_runs)" test "$c4_runs" -ge 2
is "$(grep -l 'RESULT: FAILED' "$(step_dir c4)"*/console.log | wc -l)" "$((c4_runs / 2))" \
	"c4 failed on its even boots, as its console logs show"

# The workstation's re-test, headless: one more run of c4, booting its
# kept build, kept as one more result.
: >"$TEST_DIR/builds.log"
run_pipeline run --retest c4
is "$rc" 0 "run --retest c4 exits 0"
[ "$rc" = 0 ] || tap_show "halve's stderr" "$TEST_DIR/.cap-err"
is "$(boots_of c4)" $((c4_runs + 1)) "c4 was booted once more"
is "$(wc -l <"$TEST_DIR/builds.log")" 0 "and not built"
is "$(status_of runs)" $((runs + 1)) "one more result: $((runs + 1)) runs"
# c4's 7th boot passes: the answer holds less than 0.95 now
like "$out" "Bisecting: confidence 0\.9[0-4][0-9]* after $((runs + 1)) runs on $commits commits" \
	"a pass of c4 makes the answer less sure than asked: the search goes on"
run_pipeline run
is "$(found_in "$out")" "$(sha c4)" "and a run from there names c4 again"
capture halve run --retest c4 true
is "$rc" 129 "--retest with a command: a usage error"
capture halve run --retest no-such-rev
is "$rc" 1 "--retest of an unknown revision: an error"
like "$err" "no-such-rev" "naming it"

done_testing
