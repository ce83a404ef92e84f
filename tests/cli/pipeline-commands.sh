# tests/cli/pipeline-commands.sh: `halve run` without a command, on a
# pipeline with no qemu: a host-side [test] command read with git bisect
# run's exit codes (0 good, 125 skip, 1..127 bad, 128 and up abort), and a
# build-only pipeline where building is the test. Each verdict file says
# why. A new session does not inherit the last one's config copy; start
# copies the config it checked. (The qemu side is in tests/pipeline/.)
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 20 13

# verdict_key SHA KEY: a value from that commit's verdict file
verdict_key() {
	awk -v k="$2" '$1 == k { sub(/^[^ ]+ ?/, ""); print }' \
		".git/halve/steps/$1/verdict" 2>/dev/null
}

printf '[test]\ncommand = test ! -e BUG\n' >"$TEST_DIR/test.conf"
halve start --config "$TEST_DIR/test.conf" c20 c1 >/dev/null 2>&1
capture halve run
is "$rc" 0 "a [test]-only pipeline runs to the end"
is "$(found_in "$out")" "$(sha c13)" "and finds the commit that brought the bug"
is "$(verdict_key "$(sha c13)" verdict)" bad "the culprit's verdict is bad"
is "$(verdict_key "$(sha c13)" reason)" "test failed (exit 1)" "because the test failed"
is "$(verdict_key "$(sha c13)" exit)" 1 "with the test's exit code"
ok -m "and the test's duration" test -n "$(verdict_key "$(sha c13)" test-ms)"
good=$(awk '$1 == "good" { print $2 }' <<EOT
$(halve status --porcelain)
EOT
)
tested_good=
for g in $good; do
	[ "$g" = "$(sha c1)" ] || tested_good=$g
done
is "$(verdict_key "$tested_good" reason)" "test passed (exit 0)" "a good commit's reason"
ok -m "halve log says why" grep -q '^# halve: test failed (exit 1)$' .git/BISECT_LOG
halve reset >/dev/null 2>&1

printf '[test]\ncommand = exit 125\n' >"$TEST_DIR/skip.conf"
halve start --config "$TEST_DIR/skip.conf" c20 c1 >/dev/null 2>&1
capture halve run
is "$rc" 2 "a test that always says 125 ends with only skipped commits (exit 2)"
like "$out" "only 'skip'ped commits left" "and says so"
cur=$(sha c10)
is "$(verdict_key "$cur" reason)" "test says skip (exit 125)" "the first step's reason"
halve reset >/dev/null 2>&1

printf '[test]\ncommand = exit 130\n' >"$TEST_DIR/abort.conf"
halve start --config "$TEST_DIR/abort.conf" c20 c1 >/dev/null 2>&1
before=$(git for-each-ref refs/bisect | wc -l)
capture halve run
ok -m "exit 130 aborts the run" test "$rc" != 0
like "$err" "^halve: .*exit code 130" "with a halve: error naming the code"
is "$(git for-each-ref refs/bisect | wc -l)" "$before" "and marks nothing"
is "$(verdict_key "$(sha c10)" verdict)" abort "the verdict file says abort"
halve reset >/dev/null 2>&1

printf '[build]\ncommand = test ! -e BUG\nfailure = bad\n' >"$TEST_DIR/build.conf"
halve start --config "$TEST_DIR/build.conf" c20 c1 >/dev/null 2>&1
capture halve run
is "$(found_in "$out")" "$(sha c13)" "a build-only pipeline finds the culprit (failure = bad)"
is "$(verdict_key "$(sha c13)" reason)" "build failed (exit 1)" "a failed build's reason"
is "$(verdict_key "$(sha c10)" reason)" "build succeeded" "a good build is good"
halve reset >/dev/null 2>&1

# Ended by git's own reset, which knows nothing of .git/halve: the next
# start, with no config anywhere, must not run the old session's copy.
halve start --config "$TEST_DIR/build.conf" c20 c1 >/dev/null 2>&1
git bisect reset >/dev/null 2>&1
ok -m "(git bisect reset left the old copy)" test -e .git/halve/config
halve start c20 c1 >/dev/null 2>&1
capture halve run
ok -m "a new start without a config has none to run" test "$rc" != 0
like "$err" "^halve: run: no pipeline config" "and says so"
ok -m "the old session's copy is gone" test ! -e .git/halve/config
halve reset >/dev/null 2>&1

# The copy is the text start checked.
printf '[test]\ncommand = true\n' >"$TEST_DIR/copy.conf"
halve start --config "$TEST_DIR/copy.conf" c20 c1 >/dev/null 2>&1
is "$(cat .git/halve/config)" "$(cat "$TEST_DIR/copy.conf")" \
	"start copies the config into .git/halve/config"
halve reset >/dev/null 2>&1

done_testing
