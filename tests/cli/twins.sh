# tests/cli/twins.sh: a commit to test whose tree is that of a commit
# already marked (a revert reapplied) is offered that mark: the step says
# so after git's lines, status too, and the porcelain has a `twin` line.
# A skipped commit offers nothing. The workstation's status bar shows the
# offer. (The pipeline takes it: tests/pipeline/twins.sh.)
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

# c3 brings BUG in, c4 reverts it (c2's tree), c5 reverts the revert
# (c3's tree), and c6..c9 go on with it.
repo_new
for n in 1 2; do
	repo_commit "c$n"
	git tag "c$n"
done
echo "introduced by c3" >BUG
git add BUG
repo_commit c3
git tag c3
repo_tick
git revert --no-edit HEAD >/dev/null || bail_out "revert failed"
git tag c4
repo_tick
git revert --no-edit HEAD >/dev/null || bail_out "reapply failed"
git tag c5
for n in 6 7 8 9; do
	repo_commit "c$n"
	git tag "c$n"
done
c3=$(sha c3)
c5=$(sha c5)
[ "$(git rev-parse c3^{tree})" = "$(git rev-parse c5^{tree})" ] ||
	bail_out "c5 does not have c3's tree"

halve start c9 c1 >/dev/null 2>&1 || bail_out "start failed"
is "$(git rev-parse HEAD)" "$c5" "(the reapply, c5, is tested first)"
capture halve status --porcelain
unlike "$out" '^twin ' "a commit no marked commit shares a tree with has no twin line"

capture halve bad
is "$rc" 0 "bad exits 0"
is "$(git rev-parse HEAD)" "$c3" "c3, with c5's tree, is next, as git has it"
is "$(printf '%s\n' "$out" | sed -n 3p)" \
	"$(printf '%.12s has the tree of %.12s, marked bad: "halve bad" agrees with it' "$c3" "$c5")" \
	"the mark's step offers c5's verdict after git's lines"
is "$(printf '%s\n' "$out" | sed -n 2p)" "[$c3] c3" "git's lines come first, as git prints them"

capture halve status
like "$out" "^${c3%"${c3#????????????}"} has the tree of ${c5%"${c5#????????????}"}, marked bad: \"halve bad\" agrees with it\$" \
	"status offers it too"
capture halve next
like "$out" "has the tree of ${c5%"${c5#????????????}"}, marked bad" "and next"
is "$(status_of twin)" "$c5 bad" "the porcelain says twin SHA TERM"
is "$(halve status --porcelain | grep -n '^twin ' | cut -d: -f1)" \
	"$(( $(halve status --porcelain | grep -n '^current ' | cut -d: -f1) + 1 ))" \
	"right after the current line"

ui_run -s 160x24 <<'SCRIPT'
wait-for "left after this"
dump bar
SCRIPT
is "$ui_rc" 0 "(the workstation ran its script)"
like "$(ui_dump bar | tail -n 1)" "left after this, ~[0-9]+ steps?; the tree of $(printf '%.7s' "$c5"), marked bad" \
	"the workstation's status bar offers it"

halve bad >/dev/null 2>&1
capture halve good
is "$(found_in "$out")" "$c3" "taking the offer (and c2 good) leads to git's answer, c3"
halve reset >/dev/null 2>&1

# Custom terms name the offer in their words.
halve start --term-old=fast --term-new=slow c9 c1 >/dev/null 2>&1
capture halve slow
like "$out" 'marked slow: "halve slow" agrees with it$' "custom terms: the offer in the session's words"
is "$(status_of twin)" "$c5 slow" "and the porcelain's term is the session's"
halve reset >/dev/null 2>&1

# A skip is no verdict: nothing to offer.
halve start c9 c1 >/dev/null 2>&1
capture halve skip
while [ "$(status_of state)" = bisecting ] && [ "$(git rev-parse HEAD)" != "$c3" ]; do
	if is_bad HEAD; then capture halve bad; else capture halve good; fi
done
is "$(status_of current)" "$c3" "(c3 is tested with c5 skipped)"
unlike "$out" "has the tree of" "a skipped commit's tree offers nothing"
is "$(status_of twin)" "" "and the porcelain has no twin line"
halve reset >/dev/null 2>&1

done_testing
