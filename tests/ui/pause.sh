# tests/ui/pause.sh: p during a running step, with real qemu: the step
# ends and is marked, the next one is computed but not started (nothing
# runs, halve status agrees), the status bar says so; p then asks for a
# pause again (not the opposite), and r goes on to the first bad commit.
# Skipped (1..0 # SKIP) without qemu, a kernel or busybox.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/pipeline/lib.sh" || exit 99
pipeline_require
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

make_guest_repo okay okay okay failed failed failed
guest_config "$TEST_DIR/halve.conf"
halve start --config "$TEST_DIR/halve.conf" c6 c1 >/dev/null 2>&1 ||
	bail_out "halve start --config failed"
first=$(status_of current)

ui_run -halve -a 300 -s 120x30 <<'SCRIPT'
key r
wait-for "step 1: booting"
key p
dump asked
wait-for "paused before testing"
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.paused"
sh cp "$TEST_DIR/builds.log" "$TEST_DIR/builds.paused"
sh test -e .git/halve/running && echo yes >"$TEST_DIR/running.paused"; true
dump paused
key p
dump again
key p
dump undone
key r
wait-for "is the first bad commit"
dump done
SCRIPT
is "$ui_rc" 0 "pausing and going on by keys works"
[ "$ui_rc" = 0 ] || diag "$ui_err"
like "$(ui_dump asked | tail -n 1)" "pausing after this step" "p says it will pause"
is "$(wc -l <"$TEST_DIR/builds.paused" | tr -d ' ')" 1 "the pause came after one step"
is "$(grep -c "^# [a-z]*: \[$first\]" <"$(git rev-parse --git-dir)/BISECT_LOG")" 1 \
	"that step was marked"
next=$(awk '$1 == "current" { print $2 }' "$TEST_DIR/porcelain.paused")
ok -m "the next step was computed (current is no longer $first)" \
	test -n "$next" -a "$next" != "$first"
like "$(ui_dump paused | tail -n 1)" "paused before testing $(printf '%.12s' "$next")" \
	"the status bar names the commit it paused before"
ok -m "nothing runs while paused" test ! -e "$TEST_DIR/running.paused"
like "$(ui_dump again | tail -n 1)" "pausing after this step" \
	"p after a pause asks for a pause again"
like "$(ui_dump undone | tail -n 1)" "not pausing after this step" "and p again takes it back"
is "$(status_of first-bad)" "$(sha c4)" "r went on to the first bad commit, c4"
ok -m "the run went on past the pause" \
	test "$(wc -l <"$TEST_DIR/builds.log")" -gt 1
done_testing
