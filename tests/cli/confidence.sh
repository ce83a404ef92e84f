# tests/cli/confidence.sh: results that lie now and then. `halve run
# --confidence` weighs every result instead of believing it, names the
# culprit with how sure it is (or says BAD's failure was a flake), keeps
# every result in a log that git can still replay; without it, marks that
# contradict each other stop the bisection and say so.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 60 37

# A test whose bad commits pass 3 runs in 10 (a counter, not the clock,
# decides which: every run of the test is the same).
cat >"$TEST_DIR/flaky" <<'EOF'
#!/bin/sh
n=$(cat "$0.count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$0.count"
test -e BUG || exit 0
test $(( (n * 7) % 10 )) -lt 3 && exit 0
exit 1
EOF
# A test with no bug to find: it fails about one run in 20, anywhere.
cat >"$TEST_DIR/flake" <<'EOF'
#!/bin/sh
n=$(cat "$0.count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$0.count"
test $(( ((n * 1103515245 + 12345) / 65536) % 20 )) -eq 7 && exit 1
exit 0
EOF
# A test whose bad commits fail only one run in four.
cat >"$TEST_DIR/rare" <<'EOF'
#!/bin/sh
n=$(cat "$0.count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$0.count"
test -e BUG || exit 0
test $((n % 4)) -eq 0 && exit 1
exit 0
EOF
chmod +x "$TEST_DIR/flaky" "$TEST_DIR/flake" "$TEST_DIR/rare"

halve start c60 c1 >/dev/null 2>&1
capture halve run --confidence "$TEST_DIR/flaky"
is "$rc" 0 "run --confidence exits 0 when it names a culprit"
is "$(found_in "$out")" "$(sha c37)" "it names the commit that brought the bug, though bad commits pass 30% of runs"
like "$out" "$(sha c37) is the first bad commit
" "the answer's first line is git's"
conf_line=$(printf '%s\n' "$out" | grep '^confidence ')
like "$conf_line" '^confidence 0\.99[0-9] after [0-9]+ runs on [0-9]+ commits$' \
	"then how sure, after how many runs on how many commits"
like "$(printf '%s\n' "$out" | tail -n 1)" '^bisect found first bad commit$' "and git's last line"
runs=$(printf '%s\n' "$conf_line" | sed 's/.* after \([0-9]*\) runs.*/\1/')
is "$runs" "$(cat "$TEST_DIR/flaky.count")" "the runs counted are the runs the test made"
is "$(status_of state)" found "status --porcelain: found"
is "$(status_of runs)" "$runs" "status --porcelain: runs"
like "$(status_of confidence)" '^0\.99' "status --porcelain: confidence"
is "$(status_of observation | wc -l | tr -d ' ')" "$((runs + 2))" \
	"status --porcelain: an observation line for every result, the start's two included"
ok -m "the log keeps every result as a line git's replay skips" \
	test "$(grep -c '^# halve observed ' .git/BISECT_LOG)" -eq "$runs"
ok -m "the log says the search weighed its results" grep -q '^# halve confidence 0.99$' .git/BISECT_LOG

halve log >"$TEST_DIR/weighed.log"
git bisect reset >/dev/null 2>&1
git_out=$(git bisect replay "$TEST_DIR/weighed.log" 2>&1)
is "$(found_in "$git_out")" "$(sha c37)" "git bisect replay of that log names the same commit"
git bisect reset >/dev/null 2>&1
capture halve replay "$TEST_DIR/weighed.log"
is "$(found_in "$out")" "$(sha c37)" "halve replay of it names it too"
like "$out" "$conf_line" "with the same confidence, runs and commits"
halve log >"$TEST_DIR/replayed.log"
ok -m "and the log it leaves is the one replayed, line for line" cmp -s "$TEST_DIR/weighed.log" "$TEST_DIR/replayed.log"
halve reset >/dev/null 2>&1

# P given after the option, or as --confidence=P; not a probability: usage.
rm -f "$TEST_DIR/flaky.count"
halve start c60 c1 >/dev/null 2>&1
capture halve run --confidence 0.9 "$TEST_DIR/flaky"
is "$(found_in "$out")" "$(sha c37)" "--confidence 0.9 CMD: P is the word after the option"
ok -m "and the log says 0.9" grep -q '^# halve confidence 0.9$' .git/BISECT_LOG
halve reset >/dev/null 2>&1
halve start c60 c1 >/dev/null 2>&1
before=$(bisect_state)
capture halve run --confidence=1.5 "$TEST_DIR/flaky"
is "$rc" 129 "--confidence=1.5: a usage error"
like "$err" '1\.5.*between 0 and 1' "that names the value"
is "$(bisect_state)" "$before" "and changes nothing"
halve reset >/dev/null 2>&1

# Nothing is bad: the failure at BAD does not come back often enough.
halve start c60 c1 >/dev/null 2>&1
before_bad=$(git rev-parse refs/bisect/bad)
capture halve run --confidence "$TEST_DIR/flake"
is "$rc" 5 "no culprit: exit status 5"
like "$out" "no culprit: $(sha c60) passed [0-9]+ of [0-9]+ runs; the failure looks like a flake" \
	"it says BAD passed most of its runs and the failure looks like a flake"
unlike "$out" 'is the first bad commit' "and names no culprit"
is "$(status_of state)" no-culprit "status --porcelain: no-culprit"
is "$(git rev-parse refs/bisect/bad)" "$before_bad" "git's marks still hold the range as started"
halve reset >/dev/null 2>&1

# --first-parent names the merge that brought the bug; --descend goes
# into it, still weighing, down to the topic commit; a merge whose side
# passes is the combination of the two.
main_repo=$(pwd)
cd "$TEST_DIR" || bail_out "no test dir"
repo_kernel_like "" kl >/dev/null 2>&1
halve start --first-parent v2 v1 >/dev/null 2>&1
rm -f "$TEST_DIR/flaky.count"
capture halve run --confidence --descend "$TEST_DIR/flaky"
is "$rc" 0 "run --confidence --descend: exit 0"
is "$(found_in "$out" | tail -n 1)" "$REPO_CULPRIT" "it descends into the merge and names the topic commit"
like "$out" 'descending into the merge' "through the merge"
ok -m "the bisection inside the merge weighs its results too" \
	grep -q '^# halve confidence 0.99$' .git/BISECT_LOG
halve reset >/dev/null 2>&1
cd "$TEST_DIR" || bail_out "no test dir"
repo_kernel_like combine kc >/dev/null 2>&1
halve start --first-parent v2 v1 >/dev/null 2>&1
rm -f "$TEST_DIR/flaky.count"
capture halve run --confidence --descend "$TEST_DIR/flaky"
like "$out" "both of its sides are good" "a bug only the merge makes: the combination, weighed"
halve reset >/dev/null 2>&1
cd "$main_repo" || bail_out "no repo"

# Undo takes back the last result kept without a mark.
rm -f "$TEST_DIR/flaky.count"
halve start c60 c1 >/dev/null 2>&1
halve run --confidence 0.6 "$TEST_DIR/flaky" >/dev/null 2>&1
n=$(grep -c '^# halve observed ' .git/BISECT_LOG)
halve undo >/dev/null 2>&1
is "$(grep -c '^# halve observed ' .git/BISECT_LOG)" "$((n - 1))" "undo takes back the last result"
unlike "$(cat .git/BISECT_LOG)" 'halve answer' "and the answer it led to"
is "$(status_of state)" bisecting "the search goes on from there"
halve reset >/dev/null 2>&1

# A range marked good after the answer, taken back whole: the log as it was.
rm -f "$TEST_DIR/flaky.count"
halve start c60 c1 >/dev/null 2>&1
halve run --confidence 0.9 "$TEST_DIR/flaky" >/dev/null 2>&1
cp .git/BISECT_LOG "$TEST_DIR/answered.log"
capture halve good c2..c5
is "$(grep -c '^# halve observed ' .git/BISECT_LOG)" \
	"$(($(grep -c '^# halve observed ' "$TEST_DIR/answered.log") + 3))" "good c2..c5 after the answer: three more results"
halve undo >/dev/null 2>&1
ok -m "undo takes the three back, and the answer they led to: the log is byte for byte the one before" \
	cmp "$TEST_DIR/answered.log" .git/BISECT_LOG
halve reset >/dev/null 2>&1

# The pipeline: [verdict] confidence weighs its results; every run of a
# commit keeps its own step directory.
rm -f "$TEST_DIR/flaky.count"
printf '[test]\ncommand = %s\n[verdict]\nconfidence = 0.99\n' "$TEST_DIR/flaky" \
	>"$TEST_DIR/weighed.conf"
halve start --config "$TEST_DIR/weighed.conf" c60 c1 >/dev/null 2>&1
capture halve run
is "$rc" 0 "a pipeline with [verdict] confidence runs to the end"
is "$(found_in "$out")" "$(sha c37)" "and names the culprit through the lies"
like "$out" '^confidence 0\.99[0-9] after [0-9]+ runs' "with its confidence"
runs=$(cat "$TEST_DIR/flaky.count")
is "$(ls -d .git/halve/steps/* | wc -l | tr -d ' ')" "$runs" \
	"every run has its step directory (a commit run again: DIR.1, DIR.2...)"
halve reset >/dev/null 2>&1
printf '[verdict]\nconfidence = 1\n[test]\ncommand = true\n' >"$TEST_DIR/sure.conf"
capture halve start --config "$TEST_DIR/sure.conf" c60 c1
is "$rc" 1 "[verdict] confidence = 1 is refused"
like "$err" "confidence.*between 0 and 1" "as no probability to reach"
halve reset >/dev/null 2>&1

# A budget of runs: a failure that shows one run in four cannot be
# pinned in 12 runs; the search stops there with its best guess, says
# it is only that, and marks nothing for git.
halve start c60 c1 >/dev/null 2>&1
refs_before=$(git for-each-ref refs/bisect/)
capture halve run --confidence --max-runs 12 "$TEST_DIR/rare"
is "$rc" 7 "the run budget spent before P: exit status 7"
like "$out" "^[0-9a-f]{40} is the likeliest first bad commit$" "it names its likeliest answer as only that"
like "$out" "^confidence 0\.[0-9]+ after 12 runs on [0-9]+ commits \(stopped at the run budget\)$" \
	"then how sure, after the 12 runs it was given"
unlike "$out" "is the first bad commit" "and claims no first bad commit"
is "$(cat "$TEST_DIR/rare.count")" 12 "the test ran 12 times"
is "$(git for-each-ref refs/bisect/)" "$refs_before" "git's refs still hold the range as started"
ok -m "the log says where and why it stopped" \
	grep -q '^# halve answer: likeliest [0-9a-f]* at confidence .* after 12 runs on .* (stopped at the run budget)$' .git/BISECT_LOG
is "$(status_of state)" budget-spent "status --porcelain: budget-spent"
like "$(status_of likeliest)" "^[0-9a-f]{40}$" "status --porcelain: the likeliest answer"
is "$(status_of runs)" 12 "status --porcelain: the runs"
capture halve run --max-runs 12 "$TEST_DIR/rare"
is "$rc" 7 "run again with the same budget: stopped at once"
is "$(cat "$TEST_DIR/rare.count")" 12 "without running the test"
is "$(grep -c 'stopped at the run budget' .git/BISECT_LOG)" 1 "nor saying it twice in the log"
capture halve run --max-runs 20 "$TEST_DIR/rare"
is "$(cat "$TEST_DIR/rare.count")" 20 "a larger budget goes on from there, to 20 runs in all"
like "$out" "after 20 runs" "and says so"
before=$(bisect_state)
capture halve run --max-runs 0 "$TEST_DIR/rare"
is "$rc" 129 "--max-runs 0: a usage error"
like "$err" "0: not a number of runs" "that names the value"
is "$(bisect_state)" "$before" "and changes nothing"
halve reset >/dev/null 2>&1
rm -f "$TEST_DIR/rare.count"
printf '[test]\ncommand = %s\n[verdict]\nconfidence = 0.99\nmax-runs = 5\n' \
	"$TEST_DIR/rare" >"$TEST_DIR/budget.conf"
halve start --config "$TEST_DIR/budget.conf" c60 c1 >/dev/null 2>&1
capture halve run
is "$rc" 7 "[verdict] max-runs: the pipeline stops at its budget too"
is "$(cat "$TEST_DIR/rare.count")" 5 "after 5 runs"
halve reset >/dev/null 2>&1
printf '[test]\ncommand = true\n[verdict]\nmax-runs = many\n' >"$TEST_DIR/many.conf"
capture halve start --config "$TEST_DIR/many.conf" c60 c1
is "$rc" 1 "[verdict] max-runs = many is refused"
like "$err" "max-runs.*number of runs" "as no number of runs"
halve reset >/dev/null 2>&1

# Believed marks that contradict each other stop the bisection.
halve start c60 c1 >/dev/null 2>&1
halve good c30 >/dev/null 2>&1
capture halve bad c20
is "$rc" 4 "a bad mark on an ancestor of a good one: exit status 4"
like "$err" "halve: marks contradict each other: $(sha c20) is marked bad, but $(sha c30), which contains it, is marked good" \
	"it names both commits"
like "$err" 'run --confidence' "and suggests weighing the results"
is "$(status_of state)" contradiction "status --porcelain: contradiction"
is "$(status_of contradicts)" "$(sha c30)" "status --porcelain: the good commit it contradicts"
capture halve undo
is "$(status_of state)" bisecting "undo takes the contradicting mark back"
halve good c45 >/dev/null 2>&1
halve bad c50 >/dev/null 2>&1
capture halve bad c45
is "$rc" 4 "the same commit marked good, then bad: exit 4"
like "$err" "$(sha c45) is marked both bad and good" "it says so"
rm -f "$TEST_DIR/flaky.count"
capture halve run --confidence "$TEST_DIR/flaky"
is "$(found_in "$out")" "$(sha c37)" "run --confidence from there weighs the contradicting marks and finds the culprit"
halve reset >/dev/null 2>&1

# A commit skipped and marked: said, and the bisection goes on.
halve start c60 c1 >/dev/null 2>&1
halve skip c30 >/dev/null 2>&1
capture halve good c30
is "$rc" 0 "a skipped commit marked good: the mark is taken"
like "$err" "warning: $(sha c30) was skipped once and marked once" "with a warning"
halve reset >/dev/null 2>&1

done_testing
