# tests/cli/run.sh: `halve run CMD [ARG...]` drives the bisection with a
# test command, reading its exit status as `git bisect run` does: 0 good,
# 125 skip, 1..127 bad (126/127 on the first step double-checked on a good
# commit, so that a command that cannot run at all aborts), 128 and above
# abort with the code named.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 40 27
write_oracle "$TEST_DIR/oracle"

halve start c40 c1 >/dev/null 2>&1
capture halve run "$TEST_DIR/oracle"
is "$rc" 0 "run exits 0 when the first bad commit is found"
is "$(found_in "$out")" "$(sha c27)" "run finds the commit that brought the bug"
like "$out" 'c27' "run shows the first bad commit's subject"
is "$(status_of state)" found "status --porcelain after run: state found"
is "$(status_of first-bad)" "$(sha c27)" "status --porcelain after run: first-bad"
ok -m "the oracle ran at most 6 times on 39 candidates" test "$(oracle_count "$TEST_DIR/oracle")" -le 6
ok -m "run marks through the log: BISECT_LOG records the verdicts" \
	grep -q "^git bisect bad $(sha c27)\$" .git/BISECT_LOG
halve reset >/dev/null 2>&1

# Arguments reach the command untouched.
halve start c40 c1 >/dev/null 2>&1
capture halve run sh -c 'test ! -e "$1"' sh BUG
is "$(found_in "$out")" "$(sha c27)" "run passes CMD's arguments through"
halve reset >/dev/null 2>&1

# 125: skip that commit, keep going, and agree with git on the answer.
cat >"$TEST_DIR/skipper" <<'EOF'
#!/bin/sh
case $(cat f) in c19|c20|c21|c22|c23|c24) exit 125 ;; esac
test -e BUG && exit 1
exit 0
EOF
chmod +x "$TEST_DIR/skipper"
git bisect start c40 c1 >/dev/null 2>&1
git_out=$(git bisect run "$TEST_DIR/skipper" 2>/dev/null)
git bisect reset >/dev/null 2>&1
halve start c40 c1 >/dev/null 2>&1
capture halve run "$TEST_DIR/skipper"
is "$rc" 0 "run with 125 on a cluster still exits 0"
is "$(found_in "$out")" "$(found_in "$git_out")" "run with 125 finds what git bisect run finds"
skipped=$(git for-each-ref --format='%(refname)' 'refs/bisect/skip-*' | wc -l | tr -d ' ')
ok -m "a 125 is recorded as a skip ref" test "$skipped" -ge 1
for ref in $(git for-each-ref --format='%(objectname)' 'refs/bisect/skip-*'); do
	case $(git show "$ref:f") in
	c19|c20|c21|c22|c23|c24) pass "skipped $(git show "$ref:f") is one the command skipped" ;;
	*) fail "skipped $(git show "$ref:f") is one the command skipped" ;;
	esac
done
halve reset >/dev/null 2>&1

# 125 on the culprit itself: only skipped commits left, all listed.
cat >"$TEST_DIR/skip-culprit" <<'EOF'
#!/bin/sh
case $(cat f) in c27) exit 125 ;; esac
test -e BUG && exit 1
exit 0
EOF
chmod +x "$TEST_DIR/skip-culprit"
git bisect start c40 c1 >/dev/null 2>&1
git_out=$(git bisect run "$TEST_DIR/skip-culprit" 2>/dev/null)
git bisect reset >/dev/null 2>&1
halve start c40 c1 >/dev/null 2>&1
capture halve run "$TEST_DIR/skip-culprit"
is "$rc" 2 "run exits 2 when only skipped commits are left"
like "$out" "^There are only 'skip'ped commits left to test\.\$" "run says only skipped commits are left"
is "$(listed_in "$out")" "$(listed_in "$git_out")" "run lists the same candidates as git bisect run"
is "$(status_of state)" only-skipped "status --porcelain: state only-skipped"
halve reset >/dev/null 2>&1

# 128 and above abort the run, naming the code; marks made so far stay.
printf '#!/bin/sh\nexit 129\n' >"$TEST_DIR/exit129"
chmod +x "$TEST_DIR/exit129"
halve start c40 c1 >/dev/null 2>&1
before=$(git for-each-ref refs/bisect)
capture halve run "$TEST_DIR/exit129"
ok -m "exit 129 aborts the run with a non-zero exit" test "$rc" != 0
like "$err" '^halve: .*129' "the error names exit code 129"
is "$(git for-each-ref refs/bisect)" "$before" "the aborted step marks nothing"
is "$(status_of state)" bisecting "the session survives the abort"
halve reset >/dev/null 2>&1

printf '#!/bin/sh\ntest -e BUG && exit 255\nexit 0\n' >"$TEST_DIR/exit255"
chmod +x "$TEST_DIR/exit255"
halve start c40 c1 >/dev/null 2>&1
capture halve run "$TEST_DIR/exit255"
ok -m "exit 255 on a later step aborts too" test "$rc" != 0
like "$err" '^halve: .*255' "the error names exit code 255"
ok -m "the good steps before the abort are kept" \
	test "$(git for-each-ref 'refs/bisect/good-*' | wc -l)" -ge 2
halve reset >/dev/null 2>&1

# 126/127: a command that cannot run at all aborts instead of marking
# everything bad.
halve start c40 c1 >/dev/null 2>&1
before=$(git for-each-ref refs/bisect)
capture halve run "$TEST_DIR/no-such-command"
ok -m "a command that does not exist aborts the run" test "$rc" != 0
like "$err" '^halve: ' "the abort is a halve: error"
is "$(git for-each-ref refs/bisect)" "$before" "nothing is marked bad for a missing command"
unlike "$out" 'is the first bad commit' "no first bad commit is claimed"
halve reset >/dev/null 2>&1

: >"$TEST_DIR/not-executable"
halve start c40 c1 >/dev/null 2>&1
before=$(git for-each-ref refs/bisect)
capture halve run "$TEST_DIR/not-executable"
ok -m "a command that cannot be executed (126) aborts the run" test "$rc" != 0
is "$(git for-each-ref refs/bisect)" "$before" "nothing is marked bad for a non-executable command"
halve reset >/dev/null 2>&1

# But a command that says 127 on bad commits and 0 on good ones is heard:
# the double check on a good commit shows it runs.
cd "$TEST_DIR"
repo_linear 20 4 early
cat >"$TEST_DIR/says127" <<'EOF'
#!/bin/sh
test -e BUG && exit 127
exit 0
EOF
chmod +x "$TEST_DIR/says127"
halve start c20 c1 >/dev/null 2>&1
capture halve run "$TEST_DIR/says127"
is "$rc" 0 "127 from a command that runs is a bad verdict"
is "$(found_in "$out")" "$(sha c4)" "and the run finds the first bad commit"
halve reset >/dev/null 2>&1

# --no-checkout: the command reads BISECT_HEAD, the work tree stays put.
cat >"$TEST_DIR/reads-bisect-head" <<'EOF'
#!/bin/sh
git cat-file -e BISECT_HEAD:BUG 2>/dev/null && exit 1
exit 0
EOF
chmod +x "$TEST_DIR/reads-bisect-head"
halve start --no-checkout c20 c1 >/dev/null 2>&1
capture halve run "$TEST_DIR/reads-bisect-head"
is "$(found_in "$out")" "$(sha c4)" "run with --no-checkout finds the first bad commit"
is "$(git symbolic-ref -q HEAD)" refs/heads/main "run with --no-checkout leaves HEAD on its branch"
halve reset >/dev/null 2>&1

# The same double check under --no-checkout: the good commit is shown in
# BISECT_HEAD, so a command that says 127 on bad commits is heard there too.
cat >"$TEST_DIR/says127-head" <<'EOF'
#!/bin/sh
git cat-file -e BISECT_HEAD:BUG 2>/dev/null && exit 127
exit 0
EOF
chmod +x "$TEST_DIR/says127-head"
halve start --no-checkout c20 c1 >/dev/null 2>&1
capture halve run "$TEST_DIR/says127-head"
is "$rc" 0 "with --no-checkout, 127 from a command that runs is a bad verdict"
is "$(found_in "$out")" "$(sha c4)" "and the run finds the first bad commit"
halve reset >/dev/null 2>&1

: >"$TEST_DIR/oracle.count"
halve start c40 >/dev/null 2>&1
capture halve run "$TEST_DIR/oracle"
ok -m "run with no good commit yet fails" test "$rc" != 0
like "$err" '^halve: ' "run with no good commit yet is a halve: error"
is "$(oracle_count "$TEST_DIR/oracle")" 0 "run with no good commit yet runs nothing"
halve reset >/dev/null 2>&1

capture halve run "$TEST_DIR/oracle"
ok -m "run with no session fails" test "$rc" != 0
like "$err" '^halve: ' "run with no session is a halve: error"

done_testing
