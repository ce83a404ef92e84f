# tests/ui/loading.sh: the graph reads its range in pieces. The first
# screen shows the top of the range at once (the title says how much is
# read, the status bar that the range is being read) and the cursor moves
# among those rows; once the rest is read the selection goes to the commit
# under test, unless the user moved it meanwhile, and a mark typed while
# the range loads counts like any other. HALVE_GRAPH_CHUNK makes the
# pieces small; `load hold` stops the reading where a first paint is.
# When the range changes under the screen (a reset in another terminal)
# the history shown is read whole again, not cut out of the old range;
# and a range that cannot be read leaves no rows behind to trip over.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

# ids NAME: the commit ids of the graph's rows, top to bottom
ids() {
	ui_dump "$1" | sed -n '2,$s/^[^0-9a-f]* \([0-9a-f]\{7\}\) .*/\1/p'
}
# selected NAME: the row of the cursor, from the graph's title ("N/M")
selected() {
	sed -n '1s/^─ graph [^ ]* \([0-9]*\)\/[0-9]*.*/\1/p' "$UI_DUMPS/$1"
}

# The seed's shape: merges, so the first rows have lanes to carry on.
repo_kernel_like
halve start v2 v1 >/dev/null 2>&1 || bail_out "halve start failed"
current=$(git rev-parse --short=7 HEAD)

ui_run -e HALVE_GRAPH_CHUNK=3 -s 90x24 <<'SCRIPT'
load hold
dump loading-first
load go
dump loading-done
SCRIPT
is "$ui_rc" 0 "the workstation reads the range in pieces of 3"
ui_golden loading-first
ui_golden loading-done
like "$(ui_dump loading-first | head -n 1)" "\(loading: [0-9]+ read\)" \
	"while it loads, the title says how much is read"
like "$(ui_dump loading-first | tail -n 1)" "reading the range: [0-9]+ commits" \
	"and the status bar that the range is being read"
nfirst=$(ids loading-first | wc -l)
ok -m "the first screen shows the top rows only ($nfirst)" \
	test "$nfirst" -ge 2 -a "$nfirst" -lt "$(ids loading-done | wc -l)"
is "$(ids loading-done | head -n "$nfirst")" "$(ids loading-first)" \
	"the same rows the whole range starts with, in the same order"
is "$(selected loading-first)" 1 "the cursor starts on the top row"
like "$(ui_line loading-done "$current")" "\[current\]" \
	"once read, the commit under test is marked"
is "$(ids loading-done | sed -n "$(selected loading-done)p")" "$current" \
	"and selected"
like "$(ui_dump loading-done | head -n 1)" "in question" \
	"the title counts the candidates again"

# Moving while the range loads keeps the selection where the user put it.
repo_linear 60 30 lin
halve start HEAD c1 >/dev/null 2>&1 || bail_out "halve start failed"
current=$(git rev-parse --short=7 HEAD)
ui_run -e HALVE_GRAPH_CHUNK=4 <<'SCRIPT'
load hold
key j j
dump moved
load go
dump after
key c
dump jumped
SCRIPT
is "$ui_rc" 0 "moving while it loads works"
is "$(selected moved)" 3 "j j moved among the first rows"
is "$(selected after)" 3 "reading the rest leaves the selection where it was put"
k=$(subject HEAD | sed 's/^c//')
is "$(selected jumped)" "$((61 - k))" "c still jumps to the commit under test (c$k)"
like "$(ui_line jumped "$current")" "\[current\]" \
	"which is marked once the range is read"

# A mark typed on a row of the first screen counts: the session has it,
# and the screen agrees with halve status when the range is read (c: the
# selection stayed where j put it).
ui_run -e HALVE_GRAPH_CHUNK=4 <<'SCRIPT'
load hold
key j
key b
load go
dump marked-top
key c
dump marked
SCRIPT
is "$ui_rc" 0 "marking while it loads works"
is "$(status_of bad)" "$(sha c59)" "b on the second row marked c59 bad"
now=$(status_of current | cut -c1-7)
like "$(ui_line marked "$now")" "\[current\]" \
	"the screen shows the commit halve status names ($now)"
like "$(ui_line marked-top "$(sha c59 | cut -c1-7)")" "\[bad\]" \
	"and c59 as bad"

# A reset in another terminal: the screen shows HEAD's whole history (60
# commits), not the old range cut down to HEAD's part of it.
ui_run <<'SCRIPT'
dump in-range
sh git bisect reset >/dev/null 2>&1
dump after-reset
SCRIPT
is "$ui_rc" 0 "a reset elsewhere while the workstation is open works"
like "$(ui_dump after-reset | head -n 1)" "\(history\) [0-9]+/60" \
	"the whole history of HEAD is shown afterwards"

# The range moves to a history one of whose commits is missing (c10, far
# below the range c30..c60 the screen opens on): the error is shown, and a
# search over the rows that are not there finds nothing (before, the old
# range's row count outlived its rows, and the search crashed).
# The same when the missing commit is met in a later piece (pieces of 2):
# the reading stops there with the error, and is not retried for ever.
obj=$(sha c10)
rm -f ".git/objects/$(printf %.2s "$obj")/${obj#??}"
for chunk in 65536 2; do
	halve start --no-checkout HEAD c30 >/dev/null 2>&1 ||
		bail_out "halve start failed"
	ui_run -e HALVE_GRAPH_CHUNK=$chunk <<'SCRIPT'
dump in-range
sh git bisect reset HEAD >/dev/null 2>&1
dump broken
key /
type zz
key Enter
dump searched
SCRIPT
	is "$ui_rc" 0 "pieces of $chunk: a history that cannot be read does not crash the workstation"
	like "$(ui_dump broken | tail -n 1)" "$(printf %.20s "$obj")" \
		"pieces of $chunk: the status bar names the commit that cannot be read"
	like "$(ui_dump searched | tail -n 1)" "not found: zz" \
		"pieces of $chunk: a search finds nothing in the rows that are not there"
done

done_testing
