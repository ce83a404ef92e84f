# tests/cli/skip.sh: skipped commits. A skip moves the bisection to another
# candidate (halve chooses which by how well it splits, so only git's
# result is compared, not its random walk); when only skipped commits are
# left, every commit that could be the first bad one is listed, as git
# lists them, and the exit status is 2.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 12

agree_with_git "only skipped commits left" \
	"start c12 c1" "good c3" "bad c6" "skip c4 c5"
halve reset >/dev/null 2>&1

halve start c12 c1 >/dev/null 2>&1
halve good c3 >/dev/null 2>&1
halve bad c6 >/dev/null 2>&1
capture halve skip c4 c5
is "$rc" 2 "only skipped commits left: exit 2"
like "$out" "^There are only 'skip'ped commits left to test\.\$" "it says only skipped commits are left"
like "$out" '^The first bad commit could be any of:$' "it says the first bad commit could be any of them"
is "$(listed_in "$out")" "$(for k in 4 5 6; do sha c$k; done | sort)" \
	"it lists both skipped commits and the bad one, full ids"
unlike "$out" 'is the first bad commit' "it claims no first bad commit"
is "$(status_of state)" only-skipped "status --porcelain: state only-skipped"
is "$(status_of skip | sort)" "$(for k in 4 5; do sha c$k; done | sort)" \
	"status --porcelain: the two skip lines"
unlike "$(status_of first-bad)" . "status --porcelain: no first-bad"
capture halve skip
is "$rc" 2 "asking again gives the same answer"
halve reset >/dev/null 2>&1

agree_with_git "only skipped, reached through a range" \
	"start c12 c1" "good c3" "bad c7" "skip c3..c6"
halve reset >/dev/null 2>&1

# Skipping the commit under test moves to another candidate.
halve start c12 c1 >/dev/null 2>&1
first=$(git rev-parse HEAD)
capture halve skip
is "$rc" 0 "skip with candidates left exits 0"
like "$out" '^Bisecting: [0-9]+ revisions? left to test after this' "skip announces the next commit"
ok -m "the next commit is not the skipped one" test "$(git rev-parse HEAD)" != "$first"
ok -m "the next commit is a candidate (in c1..c12)" \
	test -n "$(git rev-list c12 ^c1 | grep -Fx "$(git rev-parse HEAD)")"
ok -m "the skipped commit has its ref" git rev-parse --verify -q "refs/bisect/skip-$first"
halve reset >/dev/null 2>&1

# Skips around the culprit do not hide it when its neighbours decide.
halve start c12 c1 >/dev/null 2>&1
halve skip c4 c8 >/dev/null 2>&1
halve good c5 >/dev/null 2>&1
capture halve bad c6
is "$(found_in "$out")" "$(sha c6)" "a skipped commit elsewhere does not stop the answer"
halve reset >/dev/null 2>&1

# Skip everything but one: that one is tested, and decides.
halve start c12 c1 >/dev/null 2>&1
halve good c5 >/dev/null 2>&1
halve bad c8 >/dev/null 2>&1
capture halve skip c6
is "$(git rev-parse HEAD)" "$(sha c7)" "with c6 skipped, c7 is the one left to test"
capture halve bad
is "$(listed_in "$out")" "$(for k in 6 7; do sha c$k; done | sort)" \
	"c7 bad leaves c6 and c7 as the possible first bad commits"
halve reset >/dev/null 2>&1

halve start c12 c1 >/dev/null 2>&1
halve good c5 >/dev/null 2>&1
halve bad c8 >/dev/null 2>&1
halve skip c6 >/dev/null 2>&1
capture halve good
is "$(found_in "$out")" "$(sha c8)" "c7 good makes c8 the first bad commit despite the skip"
halve reset >/dev/null 2>&1

done_testing
