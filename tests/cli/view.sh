# tests/cli/view.sh: `halve view` draws the remaining candidates as text,
# each commit named by its (abbreviated) id and the marked ones tagged with
# their mark.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 12

# line_of SHA: the view's line naming that commit (abbreviated or full).
line_of() {
	printf '%s\n' "$out" | grep -F "$(printf '%.7s' "$1")"
}

halve start c12 c1 >/dev/null 2>&1
halve good c5 >/dev/null 2>&1
halve skip c8 >/dev/null 2>&1
capture halve view
is "$rc" 0 "view exits 0"
for k in 6 7 8 9 10 11 12; do
	like "$out" "$(printf '%.7s' "$(sha c$k)")" "view shows remaining candidate c$k"
done
like "$(line_of "$(sha c12)")" '\bbad\b' "the bad commit is tagged bad"
like "$(line_of "$(sha c8)")" '\bskip' "the skipped commit is tagged skip"
unlike "$(line_of "$(sha c7)")" '\b(bad|good|skip)' "an unmarked candidate carries no mark"
unlike "$out" "$(printf '%.7s' "$(sha c3)")" "a commit below the good one is no longer shown"
halve reset >/dev/null 2>&1

# Custom terms tag with the custom words.
halve start --term-old=fast --term-new=slow c12 c1 >/dev/null 2>&1
capture halve view
like "$(line_of "$(sha c12)")" '\bslow\b' "with custom terms, the new commit is tagged with the new term"
halve reset >/dev/null 2>&1

# Merges: both sides of a merge are drawn.
cd "$TEST_DIR"
repo_kernel_like "" kernel
halve start v2 v1 >/dev/null 2>&1
capture halve view
is "$rc" 0 "view of a history with merges exits 0"
missing=
for c in $(git rev-list v2 ^v1); do
	printf '%s\n' "$out" | grep -qF "$(printf '%.7s' "$c")" || missing="$missing $(subject "$c")"
done
is "$missing" "" "view of a history with merges shows every candidate"
halve reset >/dev/null 2>&1

done_testing
