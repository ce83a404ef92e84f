# tests/cli/pathspec.sh: `halve start BAD GOOD -- PATH...` bisects only the
# commits that touch PATH, as git does: same midpoints, same answer, the
# pathspec kept in BISECT_NAMES, and no commit outside it tested.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

# c1 creates a/x and b/y; then even commits touch a/x, odd ones b/y. The
# bug comes with c10 (which touches a/x).
repo_new
mkdir a b
k=1
while [ "$k" -le 24 ]; do
	if [ "$k" -eq 10 ]; then
		echo bug >BUG
		git add BUG
	fi
	if [ "$k" -eq 1 ]; then
		echo c1 >b/y
		git add b/y
	fi
	if [ $((k % 2)) -eq 0 ] || [ "$k" -eq 1 ]; then
		repo_commit "c$k" a/x "c$k"
	else
		repo_commit "c$k" b/y "c$k"
	fi
	git tag "c$k"
	k=$((k + 1))
done
write_oracle "$TEST_DIR/oracle"

agree_with_git "pathspec a" "start c24 c1 -- a" "good" "bad" "good"
halve reset >/dev/null 2>&1
agree_with_git "pathspec of two paths" "start c24 c1 -- a/x b/y" "good" "bad"
halve reset >/dev/null 2>&1
agree_with_git "pathspec, marks by revision" "start c24 c1 -- b" "bad c15" "good c5" "good c9" "bad c11"
halve reset >/dev/null 2>&1

git bisect start c24 c1 -- a >/dev/null 2>&1
git_names=$(cat .git/BISECT_NAMES)
git bisect reset >/dev/null 2>&1
halve start c24 c1 -- a >/dev/null 2>&1
is "$(cat .git/BISECT_NAMES 2>/dev/null)" "$git_names" "BISECT_NAMES holds the pathspec as git writes it"
ok -m "the first commit to test touches the pathspec" \
	test -n "$(git diff-tree --no-commit-id --name-only -r HEAD -- a)"
halve reset >/dev/null 2>&1

# Run: only commits that touch a are tested, and the answer is git's.
halve start c24 c1 -- a >/dev/null 2>&1
capture halve run "$TEST_DIR/oracle"
is "$(found_in "$out")" "$(sha c10)" "run with a pathspec finds the commit that brought the bug"
untouched=
for c in $(cat "$TEST_DIR/oracle.count"); do
	[ -n "$(git diff-tree --no-commit-id --name-only -r "$c" -- a)" ] || untouched="$untouched $(subject "$c")"
done
is "$untouched" "" "run with a pathspec tests only commits that touch it"
halve reset >/dev/null 2>&1

# A pathspec that leaves out the culprit: the answer is the first bad
# commit that touches it, as git says.
: >"$TEST_DIR/oracle.count"
git bisect start c24 c1 -- b >/dev/null 2>&1
git_out=$(git bisect run "$TEST_DIR/oracle" 2>/dev/null)
git bisect reset >/dev/null 2>&1
halve start c24 c1 -- b >/dev/null 2>&1
capture halve run "$TEST_DIR/oracle"
is "$(found_in "$out")" "$(found_in "$git_out")" "a pathspec without the culprit gives git's answer"
halve reset >/dev/null 2>&1

done_testing
