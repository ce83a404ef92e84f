# tests/cli/interop.sh: halve and git share one bisect state. A session
# halve starts is shown, replayed, continued and ended by git; a session git
# starts is continued by halve to the same answer; packed refs read as well
# as loose ones; custom terms, --first-parent and --no-checkout carry over.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 30 19

# The oracle's verdict on the commit under test.
verdict() {
	if is_bad HEAD; then echo bad; else echo good; fi
}

session() {
	echo "HEAD $(git rev-parse HEAD)"
	git for-each-ref --format='%(refname) %(objectname)' refs/bisect
}

# halve's files are git's files, byte for byte.
git bisect start c30 c1 >/dev/null 2>&1
git bisect good >/dev/null 2>&1
for f in BISECT_START BISECT_TERMS BISECT_NAMES BISECT_EXPECTED_REV; do
	eval "git_$f=\$(cat .git/$f 2>/dev/null)"
done
git_session=$(session)
git bisect reset >/dev/null 2>&1
halve start c30 c1 >/dev/null 2>&1
halve good >/dev/null 2>&1
for f in BISECT_START BISECT_TERMS BISECT_NAMES BISECT_EXPECTED_REV; do
	eval "want=\$git_$f"
	is "$(cat .git/$f 2>/dev/null)" "$want" "$f is written as git writes it"
done
is "$(session)" "$git_session" "the refs are git's refs"

# git reads a halve session.
capture git bisect log
is "$rc" 0 "git bisect log shows a halve session"
like "$out" "^git bisect good $(sha c15)\$" "git bisect log lists halve's marks"
capture git bisect visualize --format=%H
like "$out" "^$(sha c30)\$" "git bisect visualize lists a halve session's candidates"
git bisect log >"$TEST_DIR/halve.log"
halve_session=$(session)
halve reset >/dev/null 2>&1
capture git bisect replay "$TEST_DIR/halve.log"
is "$rc" 0 "git bisect replay accepts halve's log"
is "$(session)" "$halve_session" "git bisect replay rebuilds halve's session"
git bisect reset >/dev/null 2>&1

# git continues a halve session to the answer.
halve start c30 c1 >/dev/null 2>&1
halve "$(verdict)" >/dev/null 2>&1
halve "$(verdict)" >/dev/null 2>&1
mark_until_done git bisect >/dev/null
is "$(found_in "$(cat "$TEST_DIR/.last-out")")" "$(sha c19)" "git bisect continues a halve session to the answer"
capture git bisect reset
is "$rc" 0 "git bisect reset ends a halve session"
is "$(git symbolic-ref -q HEAD)" refs/heads/main "git bisect reset returns to the branch halve started from"
is "$(status_of state)" none "after git bisect reset, halve sees no session"

# halve continues a git session, step for step as git would.
git bisect start c30 c1 >/dev/null 2>&1
git bisect "$(verdict)" >/dev/null 2>&1
git bisect "$(verdict)" >/dev/null 2>&1
git_steps=$(mark_until_done git bisect)
git bisect reset >/dev/null 2>&1
git bisect start c30 c1 >/dev/null 2>&1
git bisect "$(verdict)" >/dev/null 2>&1
git bisect "$(verdict)" >/dev/null 2>&1
is "$(status_of state)" bisecting "halve sees a session git started"
is "$(status_of bad)" "$(git rev-parse refs/bisect/bad)" "halve sees git's bad mark"
is "$(status_of current)" "$(git rev-parse HEAD)" "halve sees the commit git checked out"
steps=$(mark_until_done halve)
is "$steps" "$git_steps" "halve continues a git session step for step as git would"
is "$(found_in "$(cat "$TEST_DIR/.last-out")")" "$(sha c19)" "halve continues a git session to the answer"
halve reset >/dev/null 2>&1

# Packed refs. git pack-refs leaves refs/bisect loose (they are per
# work tree), but a packed-refs file that holds them is valid and git reads
# it; move them there by hand after packing the rest.
pack_bisect_refs() {
	git pack-refs --all
	{
		echo "# pack-refs with: peeled fully-peeled "
		grep -v '^#' .git/packed-refs 2>/dev/null
		git for-each-ref --format='%(objectname) %(refname)' refs/bisect
	} >.git/packed-refs.new
	mv .git/packed-refs.new .git/packed-refs
	rm -rf .git/refs/bisect
}

git bisect start c30 c1 >/dev/null 2>&1
git bisect good c10 >/dev/null 2>&1
git bisect skip c13 >/dev/null 2>&1
pack_bisect_refs
ok -m "(git still reads the packed session)" \
	test "$(git for-each-ref refs/bisect | wc -l)" -eq 4
ok -m "(the bisect refs are packed, none loose)" test -z "$(ls .git/refs/bisect 2>/dev/null)"
is "$(status_of bad)" "$(sha c30)" "halve reads a packed bad ref"
is "$(status_of good | sort)" "$(for k in 1 10; do sha c$k; done | sort)" "halve reads packed good refs"
is "$(status_of skip)" "$(sha c13)" "halve reads a packed skip ref"
mark_until_done halve >/dev/null
is "$(found_in "$(cat "$TEST_DIR/.last-out")")" "$(sha c19)" "halve finishes a session with packed refs"
capture git bisect log
like "$out" "^git bisect (good|bad) " "git still reads the session halve went on with"
halve reset >/dev/null 2>&1
is "$(git for-each-ref refs/bisect)" "" "halve reset removes packed bisect refs too"

# Custom terms from git.
git bisect start --term-old=fast --term-new=slow c30 c1 >/dev/null 2>&1
is "$(status_of terms)" "fast slow" "halve reads git's custom terms"
capture halve slow c25
is "$rc" 0 "halve marks with git's custom new term"
is "$(git rev-parse refs/bisect/slow)" "$(sha c25)" "into git's ref for that term"
GOOD_TERM=fast BAD_TERM=slow mark_until_done halve >/dev/null
is "$(found_in "$(cat "$TEST_DIR/.last-out")" slow)" "$(sha c19)" "halve finishes git's custom-term session"
halve reset >/dev/null 2>&1

# halve's custom terms for git.
halve start --term-old=fast --term-new=slow c30 c1 >/dev/null 2>&1
capture git bisect terms --term-bad
is "$out" slow "git reads halve's custom terms"
GOOD_TERM=fast BAD_TERM=slow mark_until_done git bisect >/dev/null
is "$(found_in "$(cat "$TEST_DIR/.last-out")" slow)" "$(sha c19)" "git finishes halve's custom-term session"
git bisect reset >/dev/null 2>&1

# --no-checkout from git: halve marks BISECT_HEAD, HEAD stays.
git bisect start --no-checkout c30 c1 >/dev/null 2>&1
bisect_head=$(git rev-parse BISECT_HEAD)
capture halve good
is "$(git for-each-ref --format='%(objectname)' "refs/bisect/good-$bisect_head")" "$bisect_head" \
	"halve good in git's --no-checkout session marks BISECT_HEAD"
is "$(git symbolic-ref -q HEAD)" refs/heads/main "and leaves HEAD alone"
halve reset >/dev/null 2>&1

# --first-parent from git.
cd "$TEST_DIR"
repo_kernel_like "" kernel
git bisect start --first-parent v2 v1 >/dev/null 2>&1
git_steps=$(mark_until_done git bisect)
git bisect reset >/dev/null 2>&1
git bisect start --first-parent v2 v1 >/dev/null 2>&1
steps=$(mark_until_done halve)
is "$steps" "$git_steps" "halve continues git's --first-parent session as git would"
halve reset >/dev/null 2>&1
halve start --first-parent v2 v1 >/dev/null 2>&1
steps=$(mark_until_done git bisect)
is "$steps" "$git_steps" "git continues halve's --first-parent session as it would its own"
git bisect reset >/dev/null 2>&1

done_testing
