# tests/ui/rebuild.sh: the graph pane's title says what building the
# selected commit would cost from what the build directory holds, as the
# cost-aware choice predicts it: nothing for the commit checked out (its
# header change is already built), three of the four objects for one
# before the header change; no figure at all before anything is built.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

command -v cc >/dev/null || skip_all "no C compiler"

repo_c_project
mkdir -p "$HOME/.config/halve"
printf '[build]\ncommand = make -s\n[test]\ncommand = sh -c "test ! -e BUG"\n' \
	>"$HOME/.config/halve/config"

halve start c40 c0 >/dev/null 2>&1
ui_run -halve <<'SCRIPT'
dump unbuilt
SCRIPT
unlike "$(ui_dump unbuilt)" 'rebuild [0-9]' "nothing built: no rebuild figure"
halve reset >/dev/null 2>&1

make -s >/dev/null 2>&1
halve start c40 c0 >/dev/null 2>&1
current=$(git rev-parse --short=7 HEAD)
ui_run -halve <<'SCRIPT'
dump current
key End
dump oldest
SCRIPT
like "$(ui_dump current)" "rebuild 0 of 4" "the commit checked out rebuilds nothing"
like "$(ui_line current '◆')" "$current \\[current\\]" "the commit checked out is the one selected"
like "$(ui_line current 'graph')" " 17/41 rebuild 0 of 4" "(its row)"
like "$(ui_dump oldest)" "rebuild 3 of 4" "the oldest, before common.h changed, rebuilds three"

done_testing
