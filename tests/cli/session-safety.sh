# tests/cli/session-safety.sh: the session survives what users do to it:
# marks from two terminals at once, a run whose test marks through another
# halve, a mark and run's checkouts that wait for another change, a
# replay that fails part way, `halve undo`, damaged halve files, and what
# a killed halve leaves behind. Each time BISECT_LOG, the refs and `git
# bisect log` agree, and reset clears everything.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/lock.sh" || exit 99

# Every mark the refs hold has its "# term: [sha]" line in the log, and
# the other way round (the last bad one for the bad ref).
log_matches_refs() {
	lm_refs=$(git for-each-ref --format='%(refname:short) %(objectname)' \
		refs/bisect | sed 's,^bisect/,,; s,-[0-9a-f]* , ,' | sort)
	lm_log=$(sed -n 's/^# \(good\|skip\): \[\([0-9a-f]*\)\].*/\1 \2/p' \
		.git/BISECT_LOG | sort -u)
	lm_bad=$(sed -n 's/^# bad: \[\([0-9a-f]*\)\].*/bad \1/p' \
		.git/BISECT_LOG | tail -n 1)
	[ "$lm_refs" = "$(printf '%s\n%s\n' "$lm_bad" "$lm_log" |
		sed '/^$/d' | sort)" ]
}

repo_linear 420 301

# --- two terminals marking at once -------------------------------------
halve start c420 c1 >/dev/null 2>&1
marker() {
	mk_i=$1
	while [ "$mk_i" -le 400 ]; do
		halve skip "c$mk_i" >/dev/null 2>&1 ||
			echo "c$mk_i" >>"$TEST_DIR/lost"
		mk_i=$((mk_i + 2))
	done
}
: >"$TEST_DIR/lost"
marker 2 &
marker 3 &
wait
is "$(cat "$TEST_DIR/lost")" "" "two shells: every one of 399 marks succeeded"
is "$(git for-each-ref refs/bisect/ | grep -c skip-)" 399 \
	"two shells: 399 skip refs"
is "$(grep -c '^git bisect skip ' .git/BISECT_LOG)" 399 \
	"two shells: 399 skip lines in BISECT_LOG"
ok -m "two shells: the log and the refs name the same marks" log_matches_refs
is "$(git bisect log | grep -c '^git bisect skip ')" 399 \
	"two shells: git bisect log sees them all"
cp .git/BISECT_LOG "$TEST_DIR/two-shells.log"
halve reset >/dev/null 2>&1
git bisect replay "$TEST_DIR/two-shells.log" >/dev/null 2>&1
is "$(git for-each-ref refs/bisect/ | grep -c skip-)" 399 \
	"two shells: git replays the log to the same marks"
git bisect reset >/dev/null 2>&1

# --- a run whose test marks through another halve ----------------------
write_oracle "$TEST_DIR/oracle"
{
	echo '#!/bin/sh'
	echo '# marks another commit through another halve, then answers'
	echo 'n=$(git log -1 --format=%s HEAD | tr -d c)'
	echo 'other=$(( (n * 7) % 400 + 2 ))'
	echo "\"$HALVE\" skip \"c\$other\" >/dev/null 2>&1"
	echo "exec \"$TEST_DIR/oracle\""
} >"$TEST_DIR/marking-test"
chmod +x "$TEST_DIR/marking-test"
halve start c420 c1 >/dev/null 2>&1
capture halve run "$TEST_DIR/marking-test"
is "$rc" 0 "run with a marking test: exits 0"
like "$out" "$(sha c301) is the first bad commit" \
	"run with a marking test: names the culprit"
ok -m "run with a marking test: the log and the refs name the same marks" \
	log_matches_refs
is "$(grep -c '^git bisect skip ' .git/BISECT_LOG)" \
	"$(git for-each-ref refs/bisect/ | grep -c skip-)" \
	"run with a marking test: no skip lost from the log"
halve reset >/dev/null 2>&1

# --- a mark that waits for another change ------------------------------
# `halve fast c100` reads the terms, then waits for the lock another
# change holds; meanwhile the session is started again with the terms the
# other way round (by git, which takes no lock: a halve start would wait
# too). The mark means what "fast" means in the session it lands in.
halve start --term-old=fast --term-new=slow c420 c1 >/dev/null 2>&1
lock_hold
halve fast c100 >/dev/null 2>"$TEST_DIR/word.err" &
marking=$!
lock_wait "$marking"
is "$?" 0 "a mark waits for the change in progress"
git bisect start --term-old=slow --term-new=fast c420 c1 >/dev/null 2>&1
lock_release
wait "$marking"
is "$?" 0 "a word whose meaning changed meanwhile: the mark is made"
is "$(git rev-parse -q --verify refs/bisect/fast)" "$(sha c100)" \
	"a word whose meaning changed meanwhile: it means what it means now"
fails -m "a word whose meaning changed meanwhile: not what it meant before" \
	git rev-parse -q --verify "refs/bisect/slow-$(sha c100)"
ok -m "a word whose meaning changed meanwhile: the log and the refs agree" \
	test "$(grep -c '^git bisect fast ' .git/BISECT_LOG)" -eq 1
git bisect reset >/dev/null 2>&1

# --- run's check on a good commit waits for another change ---------------
# The command exits 127 (cannot run) on the commit under test; run then
# checks it out on a good commit. Another change holds the lock by then:
# the checkout waits for it, as every change does, and the work tree
# stays where it was until the lock is free.
mkfifo "$TEST_DIR/ran" "$TEST_DIR/go"
cat >"$TEST_DIR/cannot-run" <<EOF
#!/bin/sh
if [ ! -e "$TEST_DIR/ran-once" ]; then
	: >"$TEST_DIR/ran-once"
	echo >"$TEST_DIR/ran"
	read -r go <"$TEST_DIR/go"
fi
exit 127
EOF
chmod +x "$TEST_DIR/cannot-run"
halve start c420 c1 >/dev/null 2>&1
under_test=$(git rev-parse HEAD)
halve run "$TEST_DIR/cannot-run" >/dev/null 2>"$TEST_DIR/run.err" &
running=$!
read -r ran <"$TEST_DIR/ran"
lock_hold
echo go >"$TEST_DIR/go"
lock_wait "$running"
is "$?" 0 "run's check on a good commit waits for the change in progress"
is "$(git rev-parse HEAD)" "$under_test" \
	"run's check on a good commit: the work tree is not moved meanwhile"
lock_release
wait "$running"
is "$?" 1 "run's check on a good commit: 127 there too stops the run"
like "$(cat "$TEST_DIR/run.err")" "exit code 127 on the good commit too" \
	"run's check on a good commit: says so"
is "$(git rev-parse HEAD)" "$under_test" \
	"run's check on a good commit: the commit under test is back"
halve reset >/dev/null 2>&1

# --- undo ---------------------------------------------------------------
halve start c420 c1 >/dev/null 2>&1
halve good c200 >/dev/null 2>&1
before=$(bisect_state)
halve bad c350 >/dev/null 2>&1
capture halve undo
is "$rc" 0 "undo: exits 0"
like "$out" '^Bisecting: ' "undo: says what to test next"
is "$(bisect_state)" "$before" "undo: the session is as before the last mark"
halve reset >/dev/null 2>&1
# one command that marks many commits, git logs a line each: undo takes
# back what was typed, all of it
halve start c420 c1 >/dev/null 2>&1
halve good c200 >/dev/null 2>&1
before=$(bisect_state)
halve skip c300..c305 c310 >/dev/null 2>&1
is "$(grep -c '^git bisect skip ' .git/BISECT_LOG)" 6 \
	"skip A..B C: a log line a commit, as git's"
cp .git/BISECT_LOG "$TEST_DIR/range.log"
range_marks=$(git for-each-ref refs/bisect)
capture halve undo
is "$rc" 0 "undo after skip A..B C: exits 0"
is "$(bisect_state)" "$before" "undo after skip A..B C: takes back all six"
halve skip c300 >/dev/null 2>&1
halve skip c301..c303 >/dev/null 2>&1
halve skip c310 >/dev/null 2>&1
halve undo >/dev/null 2>&1
is "$(git for-each-ref refs/bisect/ | grep -c skip-)" 3 \
	"undo after a skip that follows skip A..B: takes back that one"
halve undo >/dev/null 2>&1
is "$(git for-each-ref refs/bisect/ | grep -c skip-)" 1 \
	"undo again: then the whole range"
git bisect replay "$TEST_DIR/range.log" >/dev/null 2>&1
is "$(git for-each-ref refs/bisect)" "$range_marks" \
	"skip A..B C: git replays halve's log to the same marks"
git bisect reset >/dev/null 2>&1
halve start c420 c1 >/dev/null 2>&1
before=$(bisect_state)
capture halve undo
is "$rc" 1 "undo with no mark: exits 1"
is "$err" "halve: undo: no mark to undo" "undo with no mark: says so"
is "$(bisect_state)" "$before" "undo with no mark: writes nothing"
halve reset >/dev/null 2>&1

# inside a descended merge, the descent's own mark is ascend's to take back
cd "$TEST_DIR" || bail_out "no test dir"
repo_kernel_like "" kl
halve start --first-parent v2 v1 >/dev/null 2>&1
halve bad "$KL_MERGE" >/dev/null 2>&1
halve good "$KL_MERGE^1" >/dev/null 2>&1
halve descend >/dev/null 2>&1
before=$(bisect_state)
capture halve undo
is "$rc" 1 "undo right after descend: exits 1"
like "$err" "no mark to undo .*ascend" "undo right after descend: says ascend leaves"
is "$(bisect_state)" "$before" "undo right after descend: writes nothing"
halve bad >/dev/null 2>&1
capture halve undo
is "$rc" 0 "undo inside a descended merge: takes back its own marks"
is "$(bisect_state)" "$before" "undo inside a descended merge: as before the mark"
is "$(status_of depth)" 1 "undo inside a descended merge: still inside it"
halve reset >/dev/null 2>&1

# the descent's log says what the session's start said: the terms, the
# pathspec and --no-checkout outlive an undo there, and git replays it
halve start --term-old=fast --term-new=slow --first-parent --no-checkout \
	v2 v1 -- f BUG >/dev/null 2>&1
halve slow "$KL_MERGE" >/dev/null 2>&1
halve fast "$KL_MERGE^1" >/dev/null 2>&1
halve descend >/dev/null 2>&1
head=$(git rev-parse HEAD)
before=$(bisect_state)
halve slow topic-b >/dev/null 2>&1
capture halve undo
is "$rc" 0 "undo in a descended merge with custom terms: exits 0"
is "$err" "" "undo in a descended merge with custom terms: no error"
is "$(bisect_state)" "$before" \
	"undo in a descended merge with custom terms: as before the mark"
like "$(cat .git/BISECT_NAMES)" "'f' 'BUG'" \
	"undo in a descended merge: the pathspec is kept"
is "$(git rev-parse HEAD)" "$head" \
	"undo in a descended merge under --no-checkout: HEAD stays"
git bisect log >"$TEST_DIR/inner.log"
halve reset >/dev/null 2>&1
ok -m "the descent's log: git replays it" \
	git bisect replay "$TEST_DIR/inner.log"
git bisect reset >/dev/null 2>&1
halve reset >/dev/null 2>&1
cd "$TEST_DIR/repo" || bail_out "no repo"

# --- a replay that fails part way ----------------------------------------
halve start c420 c1 >/dev/null 2>&1
halve good c100 >/dev/null 2>&1
halve skip c150 >/dev/null 2>&1
before=$(bisect_state)
printf '%s\n' "git bisect start 'c420' 'c1'" "git bisect good c50" \
	"git bisect bad c410 c400" >"$TEST_DIR/broken.log"
capture halve replay "$TEST_DIR/broken.log"
is "$rc" 1 "replay failing part way: exits 1"
like "$err" "^halve: replay: .*broken.log:3: " \
	"replay failing part way: names the line"
is "$(bisect_state)" "$before" \
	"replay failing part way: the old session is kept exactly"
halve reset >/dev/null 2>&1

# --- damaged halve files -------------------------------------------------
halve start c420 c1 >/dev/null 2>&1
echo 'not a frame' >.git/halve/stack
capture halve good c350
is "$rc" 1 "a damaged stack: a mark fails"
like "$err" 'stack:1: malformed frame' \
	"a damaged stack: the error names file and line"
capture halve status
like "$err" 'stack:1: malformed frame' "a damaged stack: status names it too"
capture halve reset
is "$rc" 0 "a damaged stack: reset works"
ok -m "a damaged stack: reset clears the session" \
	test ! -e .git/BISECT_START -a ! -e .git/halve/stack
is "$(git for-each-ref refs/bisect)" "" "a damaged stack: no bisect ref left"

# what a killed writer leaves: temporary files, a descend half made by an
# older halve (frames and a stack, but no BISECT_START)
halve start c420 c1 >/dev/null 2>&1
echo x >.git/BISECT_LOG.tmp.4242
echo x >.git/halve/config.tmp.4242
mkdir -p .git/halve/frames/1
echo "$(sha c420) 2 $(sha c419)" >.git/halve/stack
rm .git/BISECT_START
capture halve reset
is "$rc" 0 "leftovers: reset exits 0"
is "$out" "We are not bisecting." \
	"leftovers: reset says there was no session, as git"
is "$(ls .git | grep -c 'BISECT_')" 0 "leftovers: no BISECT_ file left"
is "$(ls .git/halve)" "lock" "leftovers: .git/halve holds only the lock"
is "$(git for-each-ref refs/bisect)" "" "leftovers: no bisect ref left"

# --- a change half made by a killed halve is rolled back ------------------
halve start c420 c1 >/dev/null 2>&1
halve good c100 >/dev/null 2>&1
before=$(bisect_state)
# what journal_begin leaves: the state saved aside, then the intent...
mkdir -p .git/halve/rollback
for f in .git/BISECT_*; do cp "$f" .git/halve/rollback/; done
git for-each-ref --format='%(refname:short) %(objectname)' refs/bisect |
	sed 's,^bisect/,,; s,-[0-9a-f]* , ,' >.git/halve/rollback/refs
echo rollback >.git/halve/intent
# ...and half of the change itself, with the writes it did not finish
git update-ref -d refs/bisect/bad
rm .git/BISECT_START
echo x >.git/BISECT_LOG.tmp.4242
echo x >.git/halve/stack.tmp.4242
mkdir -p .git/halve/frames/1
echo x >.git/halve/frames/1/BISECT_LOG.tmp.4242
capture halve status --porcelain
like "$out" 'state bisecting' \
	"a half-made change: the next halve puts the state back"
is "$(find .git -name '*.tmp.*')" "" \
	"a half-made change: no temporary file of it is left"
ok -m "a half-made change: nor the frame a descend was saving" \
	test ! -e .git/halve/frames/1
is "$(bisect_state)" "$before" "a half-made change: exactly as it was"
halve reset >/dev/null 2>&1

# --- a write error on standard output -------------------------------------
halve start c420 c1 >/dev/null 2>&1
if [ -w /dev/full ]; then
	capture sh -c '"$HALVE" status --porcelain >/dev/full'
	is "$rc" 1 "status to a full disk: exits 1, as git"
	like "$err" '^halve: write error: ' "status to a full disk: says so"
fi
halve reset >/dev/null 2>&1

done_testing
