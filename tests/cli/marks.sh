# tests/cli/marks.sh: good, bad and skip (with revisions, several at once,
# A..B ranges), the old/new synonyms and custom terms: every mark moves the
# bisection exactly as the same mark moves `git bisect`, and lands in git's
# refs.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 20 12

agree_with_git "marks on HEAD" \
	"start c20 c1" "good" "bad" "good" "bad" "bad"
halve reset >/dev/null 2>&1

agree_with_git "marks with revisions" \
	"start c20 c1" "good c4" "bad c15" "good c9" "bad c12" "good c10" "bad c11"
halve reset >/dev/null 2>&1

agree_with_git "several revisions in one mark" \
	"start c20" "good c1 c3 c5" "bad c17 c18"
halve reset >/dev/null 2>&1

# After a skip halve chooses its own next commit (it expects untestable
# commits to come in clusters), so only where a skip leads is compared.
git bisect start c20 c1 >/dev/null 2>&1
git bisect skip >/dev/null 2>&1
git bisect skip c5 c6 >/dev/null 2>&1
mark_until_done git bisect >/dev/null
git_answer=$(found_in "$(cat "$TEST_DIR/.last-out")")
git bisect reset >/dev/null 2>&1
halve start c20 c1 >/dev/null 2>&1
first=$(git rev-parse HEAD)
capture halve skip
is "$rc" 0 "skip on HEAD exits 0"
like "$out" '^Bisecting: [0-9]+ revisions? left to test after this' "skip on HEAD announces the next commit"
ok -m "skip on HEAD moves away from the skipped commit" test "$(git rev-parse HEAD)" != "$first"
ok -m "skip on HEAD marks it" git rev-parse --verify -q "refs/bisect/skip-$first"
capture halve skip c5 c6
is "$rc" 0 "skip by revision exits 0"
ok -m "skip by revision marks them" git rev-parse --verify -q "refs/bisect/skip-$(sha c6)"
mark_until_done halve >/dev/null
is "$(found_in "$(cat "$TEST_DIR/.last-out")")" "$git_answer" "marks after skips reach git's answer"
halve reset >/dev/null 2>&1

halve start c20 c1 >/dev/null 2>&1
halve skip c3..c6 >/dev/null 2>&1
for k in 4 5 6; do
	ok -m "skip c3..c6 marks c$k skipped" \
		git rev-parse --verify -q "refs/bisect/skip-$(sha c$k)"
done
fails -m "skip c3..c6 leaves c3 itself unmarked" \
	git rev-parse --verify -q "refs/bisect/skip-$(sha c3)"
is "$(status_of skip | sort)" "$(for k in 4 5 6; do sha c$k; done | sort)" \
	"status --porcelain: one skip line per skipped commit"
halve reset >/dev/null 2>&1

halve start c20 c1 >/dev/null 2>&1
halve skip c2..c4 c7..c9 >/dev/null 2>&1
is "$(git for-each-ref --format='%(objectname)' 'refs/bisect/skip-*' | sort)" \
	"$(for k in 3 4 8 9; do sha c$k; done | sort)" "skip A..B C..D skips both ranges and nothing else"
halve reset >/dev/null 2>&1

# Revisions are peeled to commits: an annotated tag marks its commit.
git tag -a -m "annotated" ann c4
halve start c20 c1 >/dev/null 2>&1
capture halve good ann
is "$rc" 0 "good with an annotated tag exits 0"
ok -m "an annotated tag marks the commit it points to" \
	git rev-parse --verify -q "refs/bisect/good-$(sha c4)"
halve reset >/dev/null 2>&1

agree_with_git "a single candidate" "start c2 c1"
halve reset >/dev/null 2>&1

agree_with_git "--term-good/--term-bad, git's synonyms" \
	"start --term-good=fast --term-bad=slow c20 c1" "slow" "fast"
halve reset >/dev/null 2>&1

agree_with_git "only the new term given" \
	"start --term-new=broken c20 c1" "good" "broken"
halve reset >/dev/null 2>&1

# A good range is every commit of it marked good; git takes the list.
git bisect start c20 c1 >/dev/null 2>&1
git_answer=$(git bisect good c2 c3 c4 2>/dev/null)
git bisect reset >/dev/null 2>&1
halve start c20 c1 >/dev/null 2>&1
capture halve good c1..c4
is "$out" "$git_answer" "good c1..c4 answers as git bisect good c2 c3 c4"
for k in 2 3 4; do
	ok -m "good c1..c4 marks c$k good" \
		git rev-parse --verify -q "refs/bisect/good-$(sha c$k)"
done
is "$(status_of good | sort)" "$(for k in 1 2 3 4; do sha c$k; done | sort)" \
	"status --porcelain: one good line per good commit"
halve reset >/dev/null 2>&1

agree_with_git "old and new" "start" "new c20" "old c1" "old" "new" "new"
halve reset >/dev/null 2>&1

agree_with_git "custom terms" \
	"start --term-old=fast --term-new=slow c20 c1" "fast" "slow" "slow" "fast"
halve reset >/dev/null 2>&1

halve start --term-old=fast --term-new=slow c20 c1 >/dev/null 2>&1
is "$(cat .git/BISECT_TERMS)" "$(printf 'slow\nfast')" "BISECT_TERMS holds the custom terms, new first"
is "$(status_of terms)" "fast slow" "status --porcelain: terms old new"
ok -m "the new term marks: slow" halve slow c12
is "$(git rev-parse refs/bisect/slow)" "$(sha c12)" "the new term names the ref: refs/bisect/slow"
ok -m "the old term marks: fast" halve fast c5
ok -m "the old term names the refs: refs/bisect/fast-<sha>" \
	git rev-parse --verify -q "refs/bisect/fast-$(sha c5)"
before=$(bisect_state)
capture halve good c6
ok -m "good is refused while the terms are fast/slow" test "$rc" != 0
like "$err" '^halve: ' "the refusal is a halve: error"
is "$(bisect_state)" "$before" "the refused mark writes nothing"
capture halve terms
is "$rc" 0 "terms exits 0"
like "$out" 'fast' "terms names the old term"
like "$out" 'slow' "terms names the new term"
is "$(halve terms --term-good)" fast "terms --term-good prints the old term"
is "$(halve terms --term-bad)" slow "terms --term-bad prints the new term"
halve reset >/dev/null 2>&1

halve start c20 c1 >/dev/null 2>&1
is "$(halve terms --term-good)" good "terms --term-good is good by default"
is "$(halve terms --term-bad)" bad "terms --term-bad is bad by default"
halve reset >/dev/null 2>&1

# The first bad commit: announced, summarised, and remembered.
halve start c20 c1 >/dev/null 2>&1
halve good c11 >/dev/null 2>&1
halve bad c13 >/dev/null 2>&1
capture halve bad c12
is "$rc" 0 "the mark that finds the first bad commit exits 0"
is "$(printf '%s\n' "$out" | head -n 1)" "$(sha c12) is the first bad commit" \
	"the first line names the first bad commit"
like "$out" '^ +c12$|[^0-9a-f]c12$' "the summary shows the commit's subject"
is "$(status_of state)" found "status --porcelain: state found"
is "$(status_of first-bad)" "$(sha c12)" "status --porcelain: first-bad"
capture halve status
is "$rc" 0 "status exits 0"
like "$out" "$(git rev-parse --short c12)" "status names the first bad commit"
halve reset >/dev/null 2>&1

# A good commit off the bad commit's history whose merge base is bad: the
# bug was fixed in between, as git says (and no first bad commit claimed).
git checkout -q -b side c10
repo_commit "d1" g d1
repo_commit "d2" g d2
git tag d2
git checkout -q main
agree_with_git "merge base of good and bad" "start c20 d2"
halve reset >/dev/null 2>&1
halve start c20 d2 >/dev/null 2>&1
capture halve bad
ok -m "a bad merge base is not success" test "$rc" != 0
like "$out$err" "$(sha c10)" "the message names the merge base"
like "$out$err" 'fixed between' "the message says the bug was fixed between"
unlike "$out" 'is the first bad commit' "no first bad commit is claimed"
halve reset >/dev/null 2>&1

done_testing
