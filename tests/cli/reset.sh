# tests/cli/reset.sh: `halve reset [COMMIT]` ends the session: back to where
# it started (or to COMMIT), with every bisect ref and file gone, as
# `git bisect reset` leaves things.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 12

# What a session leaves behind, if anything.
leftovers() {
	ls -d .git/BISECT_* .git/halve/stack 2>/dev/null
	git for-each-ref refs/bisect
}

halve start c12 c1 >/dev/null 2>&1
halve good >/dev/null 2>&1
halve skip >/dev/null 2>&1
capture halve reset
is "$rc" 0 "reset exits 0"
is "$(git symbolic-ref -q HEAD)" refs/heads/main "reset returns to the branch the session started from"
is "$(git rev-parse HEAD)" "$(sha c12)" "the branch is where it was"
is "$(leftovers)" "" "reset removes every bisect ref and file"
is "$(status_of state)" none "after reset, status says state none"
is "$(git status --porcelain)" "" "reset leaves a clean work tree"

git checkout -q -b topic c10
halve start c12 c1 >/dev/null 2>&1
halve bad >/dev/null 2>&1
halve reset >/dev/null 2>&1
is "$(git symbolic-ref -q HEAD)" refs/heads/topic "reset returns to another branch it started from"
git checkout -q main

git checkout -q c7
halve start c12 c1 >/dev/null 2>&1
halve good >/dev/null 2>&1
halve reset >/dev/null 2>&1
fails -m "a session started detached resets to a detached HEAD" git symbolic-ref -q HEAD
is "$(git rev-parse HEAD)" "$(sha c7)" "and to the commit it started from"
git checkout -q main

halve start c12 c1 >/dev/null 2>&1
capture halve reset c3
is "$rc" 0 "reset COMMIT exits 0"
is "$(git rev-parse HEAD)" "$(sha c3)" "reset COMMIT checks out that commit"
is "$(leftovers)" "" "reset COMMIT ends the session too"
git checkout -q main

halve start c12 c1 >/dev/null 2>&1
halve bad c6 >/dev/null 2>&1
halve bad c5 >/dev/null 2>&1
halve good c4 >/dev/null 2>&1
ok -m "reset after the first bad commit is found exits 0" halve reset
is "$(leftovers)" "" "and leaves nothing behind"
is "$(git symbolic-ref -q HEAD)" refs/heads/main "and returns to the branch"

halve start --no-checkout c12 c1 >/dev/null 2>&1
halve good >/dev/null 2>&1
halve reset >/dev/null 2>&1
is "$(git symbolic-ref -q HEAD)" refs/heads/main "reset after --no-checkout leaves HEAD on its branch"
fails -m "reset after --no-checkout removes BISECT_HEAD" git rev-parse -q --verify BISECT_HEAD
is "$(leftovers)" "" "reset after --no-checkout leaves nothing behind"

# Reset to something that does not exist: refused, the session kept.
halve start c12 c1 >/dev/null 2>&1
before=$(bisect_state)
capture halve reset no-such-commit
ok -m "reset to an unknown commit fails" test "$rc" != 0
like "$err" '^halve: .*no-such-commit' "the error names the commit"
is "$(bisect_state)" "$before" "the session is untouched"
halve reset >/dev/null 2>&1

capture halve reset
is "$rc" 0 "reset with no session exits 0, as git bisect reset does"
is "$(leftovers)" "" "reset with no session writes nothing"
is "$(git symbolic-ref -q HEAD)" refs/heads/main "reset with no session leaves HEAD alone"

done_testing
