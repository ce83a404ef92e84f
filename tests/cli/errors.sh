# tests/cli/errors.sh: bad input is refused with one clear error on stderr,
# "halve: <what>: <why>", a non-zero exit, and nothing written: no bisect
# file, no ref, no checkout.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

# refused DESC REGEX CMD...: CMD fails with a "halve: what: why" error that
# matches REGEX (when given), and the repository's bisect state is as it was.
refused() {
	rf_desc=$1
	rf_regex=$2
	shift 2
	rf_before=$(bisect_state 2>&1)
	capture "$@"
	ok -m "$rf_desc: exits non-zero" test "$rc" != 0
	like "$(printf '%s\n' "$err" | head -n 1)" '^halve: [^:]+: .+' \
		"$rf_desc: says so as 'halve: what: why'"
	if [ -n "$rf_regex" ]; then
		like "$err" "$rf_regex" "$rf_desc: the error names /$rf_regex/"
	fi
	is "$(bisect_state 2>&1)" "$rf_before" "$rf_desc: writes nothing"
}

# Each refusal is checked from a known state, so that one failure (a
# session started by mistake) does not change what the next one sees.
clean_slate() {
	halve reset >/dev/null 2>&1
	git bisect reset >/dev/null 2>&1
	rm -rf .git/halve
	git checkout -q -f main
}

mkdir plain
cd plain
capture halve start
ok -m "outside a repository: exits non-zero" test "$rc" != 0
like "$(printf '%s\n' "$err" | head -n 1)" '^halve: [^:]+: .*repositor' \
	"outside a repository: says it is not a repository"
is "$(ls -A)" "" "outside a repository: writes nothing"
capture halve status --porcelain
ok -m "status outside a repository fails too" test "$rc" != 0
cd "$TEST_DIR"

repo_linear 9

clean_slate
refused "unknown subcommand" 'frobnicate' halve frobnicate
clean_slate
refused "unknown option to start" 'frobnicate' halve start --frobnicate c9 c1
clean_slate
refused "unknown global option" 'frobnicate' halve --frobnicate
clean_slate
refused "unknown revision at start" 'no-such-rev' halve start c9 no-such-rev
clean_slate
refused "unknown bad revision at start" 'no-such-rev' halve start no-such-rev c1
clean_slate
refused "bad equal to good" "$(sha c5)|c5" halve start c5 c5
clean_slate
refused "good with no session" '' halve good
clean_slate
refused "bad with no session" '' halve bad c3
clean_slate
refused "skip with no session" '' halve skip
clean_slate
refused "next with no session" '' halve next
clean_slate
refused "view with no session" '' halve view

clean_slate
refused "good commits that are not ancestors of bad" 'mistook|ancestor|fixed' halve start c1 c9
clean_slate
refused "two equal terms" '' halve start --term-old=same --term-new=same c9 c1
clean_slate
refused "a term that changes the meaning of good" 'good' halve start --term-old=bad --term-new=good c9 c1
clean_slate
refused "a term named like a subcommand" 'skip' halve start --term-old=fine --term-new=skip c9 c1

git checkout -q --orphan unrelated
repo_commit "o1" g o1
git checkout -q main
clean_slate
refused "no common history" '' halve start unrelated c1
clean_slate
refused "no common history (good side)" '' halve start c9 unrelated

# Marks during a session.
clean_slate
halve start c9 c1 >/dev/null 2>&1
refused "unknown revision in a mark" 'no-such-rev' halve good no-such-rev
refused "one unknown revision among good ones" 'no-such-rev' halve good c2 no-such-rev
refused "unknown option to a mark" 'frobnicate' halve good --frobnicate
refused "a restart with an unknown revision keeps the running session" 'no-such-rev' \
	halve start c8 no-such-rev
halve reset >/dev/null 2>&1

# A replay log with a malformed line: named by its number, nothing replayed.
{
	echo "git bisect start 'c9' 'c1'"
	echo "# good: [$(sha c5)] c5"
	echo "this is not a bisect command"
	echo "git bisect good $(sha c5)"
} >"$TEST_DIR/bad.log"
clean_slate
refused "replay of a malformed log" ':3:' halve replay "$TEST_DIR/bad.log"
{
	echo "git bisect start 'c9' 'c1'"
	echo "git bisect frobnicate $(sha c5)"
} >"$TEST_DIR/bad-verb.log"
clean_slate
refused "replay of a log with an unknown verb" ':2:' halve replay "$TEST_DIR/bad-verb.log"
clean_slate
refused "replay of a missing file" 'no-such-file' halve replay "$TEST_DIR/no-such-file"
clean_slate
refused "a pathspec that matches nothing in the range" 'pathspec' \
	halve start c9 c1 -- no-such-path

# The work tree: tracked changes refuse the start, naming the file.
clean_slate
echo "local edit" >f
refused "tracked changes at start" '\bf\b' halve start c9 c1
is "$(cat f)" "local edit" "tracked changes at start: the edit survives"
git checkout -q -- f

clean_slate
echo "staged edit" >f
git add f
refused "staged changes at start" '\bf\b' halve start c9 c1
git reset -q --hard

# An untracked file that a checkout would overwrite is named; one that
# would not (build output) does not block.
git rm -q f
repo_commit "c10: f is gone" g g
git tag c10
clean_slate
echo "mine" >f
refused "untracked file a checkout would overwrite" '\bf\b' halve start c10 c1
is "$(cat f)" mine "the untracked file survives"
rm f

clean_slate
echo "build output" >build.o
capture halve start c10 c1
is "$rc" 0 "an untracked file no checkout touches does not block"
is "$(cat build.o)" "build output" "and it stays"
halve reset >/dev/null 2>&1

done_testing
