# tests/ui/layout.sh: the workstation's screen: the graph on the left with
# the range and its marks, the build log and console on the right, titles
# naming each pane, the status bar, the help overlay made from the key
# table, zoom, focus, and any terminal size from 1x1 up without a crash.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

repo_kernel_like
halve start v2 v1 >/dev/null 2>&1
current=$(git rev-parse --short=7 HEAD)

ui_run <<'SCRIPT'
dump start
key ?
dump help
key Esc
dump help-closed
key Tab
dump focus-build
key z
dump zoom-build
key z Tab Tab
dump focus-graph
SCRIPT
is "$ui_rc" 0 "the scripted workstation exits 0"
is "$ui_err" "" "and says nothing on stderr"
ui_golden start
like "$(ui_line start '^─ graph')" "graph v1\.\.v2" "the graph's title names the range as typed"
like "$(ui_dump start)" "┬─ build ─" "the build pane has a title line"
like "$(ui_dump start)" "├─ console \(serial \| Ctrl-a c: monitor\)" \
	"the console's title says serial and how to flip"
like "$(ui_line start "$current")" "\[current\]" "the commit under test is marked current"
like "$(ui_line start 'm6: mainline')" "\[bad\]" "the bad commit is marked bad"
like "$(ui_line start 'm2: mainline')" "\[good\]" "the good end of the range is shown, marked good"
like "$(ui_dump start | tail -n 1)" "v1\.\.v2 .*steps" "the status bar shows the range and the steps left"
ui_golden help
like "$(ui_dump help)" "g +mark the selected commit good" "the help lists g"
like "$(ui_dump help)" "Down j +move down" "aliases share one help line"
is "$(ui_dump help-closed)" "$(ui_dump start)" "Esc closes the help, leaving the screen as it was"
ui_golden zoom-build
unlike "$(ui_dump zoom-build)" "─ graph" "zoom shows the focused pane alone"
is "$(ui_dump focus-graph)" "$(ui_dump start)" "Tab cycles the focus back to the graph; z again unzooms"

# Sizes: tiny, odd, huge; the terminal must show what the dump says.
ui_run <<'SCRIPT'
resize 20 6
dump tiny
resize 1 1
dump one
resize 7 3
dump seven
resize 300 120
dump huge
resize 60 15
key ?
dump small-help
key Esc
resize 20 6
dump last
SCRIPT
is "$ui_rc" 0 "resizing down to 1x1 and up to 300x120 does not crash"
ui_golden tiny
is "$(ui_dump tiny | wc -l | tr -d ' ')" 6 "a 20x6 dump has 6 lines"
like "$(ui_dump tiny)" "◆ │ $(printf %.4s "$current")" "a 20x6 screen still shows the commit under test"
is "$(ui_dump huge | wc -l | tr -d ' ')" 120 "a 300x120 dump has 120 lines"
like "$(ui_dump small-help)" "keys \(\? Esc q: close" "the help fits a small screen"
is "$(ui_dump final)" "$(ui_dump last)" "the terminal shows exactly what the workstation dumped"

# Without UTF-8, lines are drawn in ASCII.
UI_LOCALE=C ui_run <<'SCRIPT'
dump ascii
SCRIPT
is "$ui_rc" 0 "the workstation runs in the C locale"
ui_golden ascii
unlike "$(ui_dump ascii)" "[─│┬├●◆○]" "no box drawing characters in the C locale"
like "$(ui_line ascii "$current")" "^[ |]*@[ |]* $current" "the commit under test is drawn with @"
done_testing
