# tests/pipeline/descend.sh: the seed story with the pipeline. A
# first-parent bisection of the mainline ends on the merge that brought
# the bug in; `halve descend` opens the merged branch and a second
# `halve run` ends on the topic commit that is the culprit.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

# c1 -- m2 -- m3 -- M -- m4 -- m5      (mainline; M merges topic)
#   \               /
#    t1 - t2 - t3 - t4                   (t3 brings the bug)
make_guest_repo okay
git checkout -q -b topic
guest_commit "t1: topic work" okay
guest_commit "t2: topic work" okay
git checkout -q main
guest_commit "m2: mainline" okay
git checkout -q topic
guest_commit "t3: the culprit" failed
guest_commit "t4: topic work" failed
git checkout -q main
guest_commit "m3: mainline" okay
guest_merge topic failed
merge=$(sha HEAD)
guest_commit "m4: mainline" failed
guest_commit "m5: mainline" failed
guest_config "$TEST_DIR/halve.conf"

capture halve start --first-parent --config "$TEST_DIR/halve.conf" main c1
is "$rc" 0 "start --first-parent --config FILE main c1"
run_pipeline run
is "$rc" 0 "run along the first-parent line exits 0"
is "$(found_in "$out")" "$merge" "it ends on the merge that brought the bug"
[ "$rc" = 0 ] || tap_show "halve's stderr" "$TEST_DIR/.cap-err"
topic_built=
for c in $(awk '{ print $2 }' "$TEST_DIR/builds.log"); do
	case $(git log -1 --format=%s "$c") in
	t*) topic_built="$topic_built $(git log -1 --format=%s "$c")" ;;
	esac
done
is "$topic_built" "" "the first-parent run built no topic commit"
is "$(verdict_of "$merge" verdict)" bad "the merge was booted and found bad"
first_builds=$(wc -l <"$TEST_DIR/builds.log")

capture halve descend
is "$rc" 0 "halve descend into the merge"
is "$(status_of depth)" 1 "status --porcelain: depth 1"
run_pipeline run
is "$rc" 0 "run inside the merge exits 0"
is "$(found_in "$out")" "$(sha topic~1)" "it ends on t3, the culprit"
[ "$rc" = 0 ] || tap_show "halve's stderr" "$TEST_DIR/.cap-err"
sed -n "$((first_builds + 1)),\$p" "$TEST_DIR/builds.log" >"$TEST_DIR/descent.log"
while read -r c rest; do
	case $(git log -1 --format=%s "$c") in
	t*) pass "the descent built topic commit $(git log -1 --format=%s "$c")" ;;
	c1*) pass "the descent built the merge base c1" ;;
	*) fail "the descent built a mainline commit: $(git log -1 --format=%s "$c")" ;;
	esac
done <"$TEST_DIR/descent.log"
ok -m "the descent built something" test -s "$TEST_DIR/descent.log"
is "$(verdict_of topic~1 verdict)" bad "t3: verdict bad"
like "$(verdict_of topic~1 reason)" '^rule bad #1 matched' "t3: reason"
is "$(verdict_of topic~2 verdict)" good "t2, the culprit's parent: verdict good"
ok -m "the outer steps' files are still there" test -f "$(step_dir "$merge")/verdict"
is "$(cd / && processes_in "$REPO_DIR")" "" "no process is left running in the work tree"

# The same in one go: run --descend goes into the merge by itself.
halve reset >/dev/null 2>&1
capture halve start --first-parent --config "$TEST_DIR/halve.conf" main c1
run_pipeline run --descend
is "$rc" 0 "run --descend exits 0"
is "$(found_in "$out")" "$(sha topic~1)" "it ends on t3 through the merge"
is "$(grep -c 'is the first bad merge' "$TEST_DIR/.cap-out")" 1 \
	"it says once that it descends, for the merge and not for t3"
like "$(grep 'is the first bad merge' "$TEST_DIR/.cap-out")" "^$merge " \
	"naming the merge"
is "$(status_of depth)" 1 "it is one level down"

done_testing
