# tests/ui/descend.sh: the seed story on the workstation. A first-parent
# bisection ends on the merge that brought the bug; d descends into the
# merged branch (the status bar's breadcrumbs say where we are, and
# `halve status` agrees: depth 1), u undoes a mark made down there
# without losing the descent, and a ascends back to the outer bisection.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

repo_kernel_like
merge=$(printf '%.7s' "$KL_MERGE")
halve start v2 v1 >/dev/null 2>&1

ui_run <<'SCRIPT'
key d
dump too-early
SCRIPT
like "$(ui_dump too-early | tail -n 1)" "descend: no first bad commit yet" \
	"d before the first bad commit says why not"

halve reset >/dev/null 2>&1
halve start --first-parent v2 v1 >/dev/null 2>&1
mark_until_done halve >/dev/null
is "$(status_of first-bad)" "$KL_MERGE" "(the first-parent bisection ends on the merge)"

ui_run -s 100x24 <<'SCRIPT'
dump found
key f
dump jumped
key d
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.down"
dump descended
key b
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.marked"
key u
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.undone"
dump undone
key a
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.up"
dump ascended
SCRIPT
is "$ui_rc" 0 "descending and ascending by keys works"
porcelain() {
	awk -v k="$2" '$1 == k { sub(/^[^ ]+ ?/, ""); print }' "$TEST_DIR/porcelain.$1"
}
like "$(ui_line found "$merge")" "\[first bad\]" "the merge is shown as the first bad commit"
like "$(ui_dump found | tail -n 1)" "first bad commit: $merge" "the status bar names it"
is "$(porcelain down depth)" 1 "d descends: depth 1"
like "$(ui_dump descended | tail -n 1)" "v1\.\.v2 > merge $merge" \
	"the breadcrumbs show the range and the merge descended into"
like "$(ui_line descended "$(printf '%.7s' "$(porcelain down current)")")" "\[current\]" \
	"the screen shows the first commit to test inside the merge"
is "$(porcelain marked depth)" 1 "a mark inside the merge keeps the depth"
is "$(porcelain undone depth)" 1 "u inside the merge keeps the descent"
is "$(porcelain undone current)" "$(porcelain down current)" "and takes the mark back"
is "$(porcelain up depth)" 0 "a ascends: depth 0"
is "$(porcelain up first-bad)" "$KL_MERGE" "back to the outer bisection's answer"
unlike "$(ui_dump ascended | tail -n 1)" "> merge" "the breadcrumbs are gone"
done_testing
