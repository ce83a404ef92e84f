# tests/cli/git-compat.sh: the corners where halve once differed from
# git bisect (git 2.39), each compared with git on the same repository: a
# bare repository, run through the shell, a good commit that is no
# ancestor of the bad one, a skipped merge base, CRLF logs and git's
# status lines, paths without "--", terms and next with too little, and
# visualize with git log's options.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

# c1..c10 on main, f and g touched in turn (even commits touch f); the
# bug comes with c7; a side branch s1..s3 forks at c3.
repo_new
i=1
while [ "$i" -le 10 ]; do
	[ "$i" -eq 7 ] && { echo bug >BUG; git add BUG; }
	if [ $((i % 2)) -eq 0 ]; then repo_commit "c$i" f "$i"
	else repo_commit "c$i" g "$i"; fi
	git tag "c$i"
	i=$((i + 1))
done
git checkout -q -b side c3
for i in 1 2 3; do repo_commit "s$i" s "$i"; git tag "s$i"; done
git checkout -q main
write_oracle "$TEST_DIR/oracle"

# --- a good commit marked by hand that is no ancestor of the bad one -----
agree_with_git "a good off the range" "start c8 c1" "good c2" "good s3"
agree_with_git "a skipped merge base" "start c8 s3" "skip"
git bisect start c8 s3 >/dev/null 2>&1
git bisect skip >/dev/null 2>"$TEST_DIR/git.err"
git bisect reset >/dev/null 2>&1
halve start c8 s3 >/dev/null 2>&1
halve skip >/dev/null 2>"$TEST_DIR/halve.err"
halve reset >/dev/null 2>&1
is "$(grep -v '^error: You need' "$TEST_DIR/halve.err")" \
	"$(grep -v '^error: You need' "$TEST_DIR/git.err")" \
	"a skipped merge base: git's warning, word for word"

# --- the log: git's status lines, CRLF ----------------------------------
for tool in git halve; do
	eval "$tool bisect start" >/dev/null 2>&1 || $tool start >/dev/null 2>&1
	if [ "$tool" = git ]; then t="git bisect"; else t=halve; fi
	$t bad c10 >/dev/null 2>&1
	$t skip c5 >/dev/null 2>&1
	$t good c2 c3 >/dev/null 2>&1
	cp .git/BISECT_LOG "$TEST_DIR/$tool.log"
	$t reset >/dev/null 2>&1
done
# (halve's own comments aside: "# halve: one command marked the 2 commits
# below" lets undo take back all of "good c2 c3"; git's replay skips them)
is "$(grep -v '^# halve: ' "$TEST_DIR/halve.log")" "$(cat "$TEST_DIR/git.log")" \
	"BISECT_LOG is git's, status lines included"
sed 's/$/\r/' "$TEST_DIR/git.log" >"$TEST_DIR/crlf.log"
git bisect replay "$TEST_DIR/crlf.log" >/dev/null 2>&1
git_refs=$(git for-each-ref refs/bisect)
git bisect reset >/dev/null 2>&1
capture halve replay "$TEST_DIR/crlf.log"
is "$rc" 0 "a CRLF log replays"
is "$(git for-each-ref refs/bisect)" "$git_refs" "a CRLF log: git's marks"
halve reset >/dev/null 2>&1

# --- paths without "--" ---------------------------------------------------
agree_with_git "paths without --" "start c10 c1 -- f"
git bisect start c10 c1 -- f >"$TEST_DIR/git.out" 2>/dev/null
git bisect reset >/dev/null 2>&1
halve start c10 c1 f >"$TEST_DIR/halve.out" 2>/dev/null
is "$(cat "$TEST_DIR/halve.out")" "$(cat "$TEST_DIR/git.out")" \
	"start BAD GOOD path: the path is the pathspec, as with --"
is "$(cat .git/BISECT_NAMES)" " '--' 'f'" "start BAD GOOD path: BISECT_NAMES"
halve reset >/dev/null 2>&1
capture halve start c10 c1 no-such-thing
is "$rc" 1 "start BAD GOOD typo: refused"
like "$err" "no-such-thing: unknown revision, nor a path" \
	"start BAD GOOD typo: says it is neither"

# --- too little to go on --------------------------------------------------
capture git bisect terms
git_rc=$rc
capture halve terms
is "$rc" "$git_rc" "terms without a session: git's exit status"
is "$err" "halve: terms: no terms defined" "terms without a session: git's words"
git bisect start >/dev/null 2>&1
git bisect good c2 >/dev/null 2>&1
capture git bisect next
git_rc=$rc
git bisect reset >/dev/null 2>&1
halve start >/dev/null 2>&1
halve good c2 >/dev/null 2>&1
capture halve next
is "$rc" "$git_rc" "next with only a good commit: git's exit status"
like "$err" "You need to give me at least one bad and good revision" \
	"next with only a good commit: git's words"
halve reset >/dev/null 2>&1

# --- run through the shell, and after the answer --------------------------
halve start c10 c1 >/dev/null 2>&1
capture halve run eval 'test ! -e BUG'
like "$out" "^running  'eval' 'test '\\\\!' -e BUG'" "run eval: git's running line"
like "$out" "$(sha c7) is the first bad commit" "run eval: a shell builtin runs"
capture halve run "$TEST_DIR/oracle"
is "$rc" 0 "run after the answer: exits 0, as git"
like "$out" "$(sha c7) is the first bad commit" "run after the answer: names it again"
halve reset >/dev/null 2>&1
git bisect start c10 c1 >/dev/null 2>&1
capture git bisect run 'test ! -e BUG && true'
git_rc=$rc
git bisect reset >/dev/null 2>&1
halve start c10 c1 >/dev/null 2>&1
capture halve run 'test ! -e BUG && true'
ok -m "run 'a && b': one command name, failing in both (git $git_rc, halve $rc)" \
	test "$rc" -ne 0 -a "$git_rc" -ne 0
unlike "$out" "is the first bad commit" "run 'a && b': names no culprit"
halve reset >/dev/null 2>&1

# --- visualize -------------------------------------------------------------
git bisect start c10 c1 >/dev/null 2>&1
git bisect skip c6 >/dev/null 2>&1
for opts in --oneline --stat "-p --format=%s"; do
	# shellcheck disable=SC2086
	git bisect visualize $opts >"$TEST_DIR/git.vis" 2>&1
	# shellcheck disable=SC2086
	halve visualize $opts >"$TEST_DIR/halve.vis" 2>&1
	is "$(cat "$TEST_DIR/halve.vis")" "$(cat "$TEST_DIR/git.vis")" \
		"visualize $opts: what git bisect visualize $opts lists"
done
is "$(halve view --oneline)" "$(git bisect visualize --oneline)" \
	"view --oneline: the same"
git bisect reset >/dev/null 2>&1
# with a pathspec, only the candidates (git 2.39's visualize hands git log
# BISECT_NAMES with its '--' and lists commits outside the pathspec too:
# a difference listed in halve.1)
halve start c10 c1 -- f >/dev/null 2>&1
is "$(halve visualize --oneline)" "$(git log --bisect --oneline -- f)" \
	"visualize with a pathspec: git log --bisect -- PATHS"
halve reset >/dev/null 2>&1

# --- a bare repository ------------------------------------------------------
cd "$TEST_DIR" || bail_out "no test dir"
git clone -q --bare repo bare.git
cd bare.git || bail_out "no bare clone"
cat >"$TEST_DIR/bare-test" <<'EOF'
#!/bin/sh
! git cat-file -e BISECT_HEAD:BUG 2>/dev/null
EOF
chmod +x "$TEST_DIR/bare-test"
git bisect start c10 c1 >/dev/null 2>&1
git_bisect_head=$(cat BISECT_HEAD)
capture git bisect run "$TEST_DIR/bare-test"
git_found=$(found_in "$out")
git bisect reset >/dev/null 2>&1
head_before=$(cat HEAD)
halve start c10 c1 >/dev/null 2>&1
is "$(cat BISECT_HEAD 2>/dev/null)" "$git_bisect_head" \
	"bare: start writes BISECT_HEAD as git does"
is "$(cat HEAD)" "$head_before" "bare: HEAD is left alone"
capture halve run "$TEST_DIR/bare-test"
is "$(found_in "$out")" "$git_found" "bare: a run reading BISECT_HEAD names git's culprit"
halve reset >/dev/null 2>&1
is "$(cat HEAD)" "$head_before" "bare: reset leaves HEAD alone"

done_testing
