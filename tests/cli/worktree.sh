# tests/cli/worktree.sh: a linked worktree (`git worktree add`) has its own
# bisection, as git keeps it: BISECT_* in the worktree's private git dir,
# refs/bisect/ per worktree. A session in one worktree is invisible to the
# other's `halve status`, `halve log` and `git bisect log`, and ending one
# leaves the other running.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 30 19
git worktree add -q -b side ../linked c30 || bail_out "git worktree add"
main=$REPO_DIR
linked=$TEST_DIR/linked

# A bisection in the linked worktree answers as git's does there.
cd "$linked" || bail_out "cd"
agree_with_git "linked worktree" "start c30 c1" "good" "bad" "good" "bad" "good"
halve reset >/dev/null 2>&1
is "$(git for-each-ref refs/bisect)" "" "reset in the linked worktree removes its refs/bisect"

cd "$linked" && halve start c30 c1 >/dev/null 2>&1 && halve good >/dev/null 2>&1
linked_gitdir=$(git rev-parse --absolute-git-dir)
ok -m "the linked worktree's BISECT_LOG is in its own git dir" test -f "$linked_gitdir/BISECT_LOG"
fails -m "and not in the main one" test -e "$main/.git/BISECT_LOG"
is "$(git for-each-ref --format='%(refname)' refs/bisect | wc -l | tr -d ' ')" 3 \
	"git sees the linked worktree's refs/bisect there"

cd "$main" || bail_out "cd"
is "$(status_of state)" none "the main worktree's halve status sees no session"
capture git bisect log
fails -m "nor does its git bisect log" test "$rc" = 0
is "$(git for-each-ref refs/bisect)" "" "nor its refs/bisect"

# Now a session in the main worktree too, by git.
git bisect start c30 c1 >/dev/null 2>&1
git bisect bad >/dev/null 2>&1
main_log=$(git bisect log)
main_head=$(git rev-parse HEAD)
capture halve log
is "$out" "$main_log" "halve log in the main worktree is git's session there"
is "$(status_of bad)" "$(sha c15)" "halve status in the main worktree reads its own bad"

cd "$linked" || bail_out "cd"
is "$(status_of bad)" "$(sha c30)" "halve status in the linked worktree reads its own bad"
capture halve log
unlike "$out" "git bisect bad" "halve log in the linked worktree has none of the main one's marks"
like "$out" "^git bisect good $(sha c15)\$" "and its own"
capture git bisect log
is "$out" "$(halve log)" "git bisect log in the linked worktree agrees with halve log"

# Marks and the answer in the linked worktree, with the main one's
# session in the way.
mark_until_done halve >/dev/null
is "$(found_in "$(cat "$TEST_DIR/.last-out")")" "$REPO_CULPRIT" \
	"the linked worktree's bisection ends on the culprit"

halve reset >/dev/null 2>&1
is "$(git symbolic-ref -q HEAD)" refs/heads/side "reset in the linked worktree returns to its branch"
cd "$main" || bail_out "cd"
is "$(git bisect log)" "$main_log" "and leaves the main worktree's session as it was"
is "$(git rev-parse HEAD)" "$main_head" "and its HEAD"
is "$(status_of bad)" "$(sha c15)" "and its refs/bisect"
halve reset >/dev/null 2>&1
is "$(git symbolic-ref -q HEAD)" refs/heads/main "halve reset ends git's session in the main worktree"
cd "$linked" && is "$(git symbolic-ref -q HEAD)" refs/heads/side "leaving the linked worktree on its branch"

done_testing
