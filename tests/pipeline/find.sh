# tests/pipeline/find.sh: `halve run` with no command bisects by building
# each commit, booting it in qemu and reading the console: it ends on the
# first bad commit as the CLI does, skips the commit that does not build,
# and leaves per step the raw build log, the raw console and a verdict
# file that says why.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

# c5 (git's first pick on c10..c1) does not build; c7 brings the bug.
make_guest_repo okay okay okay okay buildfail okay failed failed failed failed
guest_config "$TEST_DIR/halve.conf"

capture halve start --config "$TEST_DIR/halve.conf" c10 c1
is "$rc" 0 "start --config FILE BAD GOOD"
ok -m "the config is copied to .git/halve/config" \
	cmp "$TEST_DIR/halve.conf" .git/halve/config
is "$(git rev-parse HEAD)" "$(sha c5)" "the first step is c5, as git bisect picks"

run_pipeline run
is "$rc" 0 "halve run (no command) exits 0"
is "$(found_in "$out")" "$(sha c7)" "it prints <sha> is the first bad commit: c7"
like "$out" "c7: failed" "and the commit's summary"
[ "$rc" = 0 ] || tap_show "halve's stderr" "$TEST_DIR/.cap-err"
is "$(status_of state)" found "status --porcelain: found"
is "$(status_of first-bad)" "$(sha c7)" "status --porcelain: first-bad"

# The log is git's: every verdict of the run is in it, git reads it.
ok -m "BISECT_LOG: c5 skipped" grep -q "^git bisect skip $(sha c5)\$" .git/BISECT_LOG
ok -m "BISECT_LOG: c7 bad" grep -q "^git bisect bad $(sha c7)\$" .git/BISECT_LOG
ok -m "git bisect log reads the session" git bisect log

# One step directory per commit built, each with its own build.
steps=$(ls .git/halve/steps | sort)
built=$(awk '{ print $2 }' "$TEST_DIR/builds.log" | sort)
is "$steps" "$built" "a step directory for each commit built, and no other"
diag "built, in order: $(while read -r b_c b_rest; do git log -1 --format=%s "$b_c"; done <"$TEST_DIR/builds.log" | tr '\n' ' ')"

# The environment of a build: the commit, the step directory, the git
# dir, and the work tree as the current directory.
gitdir=$(cd .git && pwd -P)
while read -r b_commit b_head b_stepdir b_gitdir b_pwd; do
	is "$b_commit" "$b_head" "HALVE_COMMIT is the commit checked out ($b_head)"
	is "$b_stepdir" "$gitdir/halve/steps/$b_head" "HALVE_STEP_DIR is its step directory"
	is "${b_gitdir%/}" "$gitdir" "HALVE_GIT_DIR is the git dir"
	is "$b_pwd" "$REPO_DIR" "the build runs in the work tree"
done <"$TEST_DIR/builds.log"

# The skipped step: the build's output, and why.
is "$(verdict_of c5 verdict)" skip "c5: verdict skip"
is "$(verdict_of c5 reason)" "build failed (exit 2)" "c5: reason: build failed (exit 2)"
ok -m "c5: build.log holds the build's own words" \
	grep -q "build: error: this commit does not build" "$(step_dir c5)/build.log"
like "$(verdict_of c5 build-ms)" '^[0-9]+$' "c5: build-ms"
ok -m "c5: nothing was booted" test ! -s "$(step_dir c5)/console.log"

# Booted steps: the rule, the line and where it was.
for c in c6 c7 c8 c9; do
	[ -d "$(step_dir $c)" ] || continue
	if guest_bad "$c"; then want=bad; result=FAILED; else want=good; result=OKAY; fi
	is "$(verdict_of $c verdict)" $want "$c: verdict $want"
	like "$(verdict_of $c reason)" "^rule $want #1 matched" "$c: reason: rule $want #1 matched"
	is "$(verdict_of $c rule)" "^RESULT: $result" "$c: the rule's pattern"
	is "$(verdict_of $c line)" "RESULT: $result" "$c: the console line that decided"
	n=$(verdict_of $c lineno)
	like "$n" '^[0-9]+$' "$c: lineno"
	is "$(console_line $c "$n")" "RESULT: $result" "$c: console.log's line $n is that line"
	like "$(verdict_of $c build-ms)" '^[0-9]+$' "$c: build-ms"
	like "$(verdict_of $c boot-ms)" '^[0-9]+$' "$c: boot-ms"
	ok -m "$c: build.log is the build's output" \
		grep -q "build: packing initrd.img" "$(step_dir $c)/build.log"
	ok -m "$c: console.log is the raw console, kernel and all" \
		grep -q "Linux version" "$(step_dir $c)/console.log"
done
ok -m "c7, the culprit, was booted" test -s "$(step_dir c7)/console.log"
is "$(cd / && processes_in "$REPO_DIR")" "" "no process is left running in the work tree"

done_testing
