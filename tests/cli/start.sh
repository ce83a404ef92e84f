# tests/cli/start.sh: `halve start` begins a bisection the way `git bisect
# start` does: same midpoint announced in the same words, HEAD detached
# there (or only BISECT_HEAD moved with --no-checkout), git's state files
# written, and the session visible in `status --porcelain`.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 9

agree_with_git "bad and good on the command line" "start c9 c1"
halve reset >/dev/null 2>&1

capture halve start c9 c1
is "$rc" 0 "start BAD GOOD exits 0"
like "$out" '^Bisecting: [0-9]+ revisions? left to test after this \(roughly [0-9]+ steps?\)$' \
	"start announces how many revisions are left"
announced=$(printf '%s\n' "$out" | sed -n 's/^\[\([0-9a-f]\{40\}\)\] .*/\1/p')
like "$out" "^\[$(sha c5)\] c5\$" "the announced commit is named with its full id and subject"
fails -m "HEAD is detached after start" git symbolic-ref -q HEAD
is "$(git rev-parse HEAD)" "$announced" "HEAD is at the announced commit"
is "$(git rev-parse refs/bisect/bad)" "$(sha c9)" "refs/bisect/bad is the bad commit"
ok -m "refs/bisect/good-<sha> exists for the good commit" \
	git rev-parse --verify -q "refs/bisect/good-$(sha c1)"
is "$(cat .git/BISECT_START)" main "BISECT_START names the branch bisect started from"
is "$(cat .git/BISECT_TERMS)" "$(printf 'bad\ngood')" "BISECT_TERMS holds the default terms"
is "$(cat .git/BISECT_EXPECTED_REV 2>/dev/null)" "$announced" \
	"BISECT_EXPECTED_REV is the announced commit"
ok -m "BISECT_LOG is written" test -s .git/BISECT_LOG

is "$(status_of state)" bisecting "status --porcelain: state bisecting"
is "$(status_of terms)" "good bad" "status --porcelain: terms good bad"
is "$(status_of bad)" "$(sha c9)" "status --porcelain: bad is the bad commit"
is "$(status_of good)" "$(sha c1)" "status --porcelain: one good line for the good commit"
is "$(status_of current)" "$announced" "status --porcelain: current is the announced commit"
is "$(status_of remaining)" "$(git rev-list --count c9 ^c1)" "status --porcelain: remaining counts the candidates"
is "$(status_of steps-left)" 2 "status --porcelain: steps-left matches 'roughly K steps'"
is "$(status_of depth)" 0 "status --porcelain: depth 0 outside a nested bisection"
unlike "$(status_of first-bad)" . "status --porcelain: no first-bad before it is found"
halve reset >/dev/null 2>&1

capture halve status --porcelain
is "$rc" 0 "status --porcelain with no session exits 0"
is "$(status_of state)" none "status --porcelain with no session: state none"

agree_with_git "several good commits" "start c9 c1 c3"
halve reset >/dev/null 2>&1

agree_with_git "bad first, good later" "start c9" "good c2"
halve reset >/dev/null 2>&1

capture halve start
is "$rc" 0 "start with no revision exits 0"
is "$(status_of state)" waiting "a session with no marks is waiting"
is "$(git symbolic-ref -q HEAD)" refs/heads/main "start with no revision leaves HEAD alone"
halve bad c9 >/dev/null 2>&1
is "$(status_of state)" waiting "a session with only a bad commit is waiting"
is "$(status_of bad)" "$(sha c9)" "the waiting session knows its bad commit"
halve reset >/dev/null 2>&1

agree_with_git "restart over a running session" "start c9 c1" "good" "start c8 c2"
fails -m "a restart forgets the first session's good commit" \
	git rev-parse --verify -q "refs/bisect/good-$(sha c1)"
halve reset >/dev/null 2>&1

# --no-checkout: only BISECT_HEAD moves.
agree_with_git "--no-checkout" "start --no-checkout c9 c1" "good" "bad"
halve reset >/dev/null 2>&1
head_before=$(git rev-parse HEAD)
capture halve start --no-checkout c9 c1
announced=$(printf '%s\n' "$out" | sed -n 's/^\[\([0-9a-f]\{40\}\)\] .*/\1/p')
is "$(git symbolic-ref -q HEAD)" refs/heads/main "--no-checkout leaves HEAD on its branch"
is "$(git rev-parse HEAD)" "$head_before" "--no-checkout leaves HEAD's commit alone"
is "$(git rev-parse -q --verify BISECT_HEAD)" "$announced" "--no-checkout moves BISECT_HEAD to the announced commit"
is "$(status_of current)" "$announced" "status --porcelain: current is BISECT_HEAD with --no-checkout"
is "$(git status --porcelain)" "" "--no-checkout leaves the work tree alone"
halve reset >/dev/null 2>&1

# A detached start works too (git records the commit in BISECT_START).
git checkout -q c7
agree_with_git "start from a detached HEAD" "start c9 c1"
halve reset >/dev/null 2>&1
git checkout -q main

# next: back to the commit to test after wandering off.
agree_with_git "next after checking out something else" "start c9 c1" "!git checkout -q c2" "next"
halve reset >/dev/null 2>&1

done_testing
