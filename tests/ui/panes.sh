# tests/ui/panes.sh: the build log and the console, fed bytes as the
# pipeline feeds them (no process behind them): \r progress lines and
# colours render as a terminal renders them, theme regexes paint errors,
# the log scrolls back and searches, the console takes every key, Ctrl-a c
# flips serial/monitor with a visible mark, and nothing a guest prints
# (window titles, bells, screen clears) reaches the real terminal.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

repo_linear 8 5
halve start c8 c1 >/dev/null 2>&1

# style TEXT NAME: the style of the first cell of TEXT in dump NAME
style() {
	set -- "$(ui_find "$2" "$1")" "$2"
	[ -n "$1" ] || return 0
	ui_style "$2" $1
}

i=1
while [ "$i" -le 200 ]; do
	if [ "$i" = 17 ]; then
		echo "drivers/x.c:17: find the needle here"
	else
		echo "  CC      kernel/file$i.o"
	fi
	i=$((i + 1))
done | sed 's/$/\r/' >"$TEST_DIR/build.bytes"

ui_run <<'SCRIPT'
feed build "  CC      init/main.o\r\n[ 10%] linking\r[ 50%] linking\r[100%] linking\r\n"
feed build "\e[32mgreen text\e[0m and plain\r\n"
feed build "init/main.c:3: error: expected ';' before '}'\r\n"
feed build "init/main.c:4: warning: unused variable\r\n"
dumpattr build
feed console "[    1.99] Freeing unused kernel memory\r\nRESULT: FAILED\r\n"
feed console "\e]0;pwned\a\a\e]1;icon\a"
dumpattr console
key Tab
dumpattr focus
SCRIPT
is "$ui_rc" 0 "feeding the panes works"
like "$(ui_dump build)" "\[100%\] linking" "a \\r progress line shows its last state"
unlike "$(ui_dump build)" "\[ 10%\]|\[ 50%\]" "and not the states it overwrote"
like "$(style "green text" build)" "^2 " "colours from the build show (green)"
like "$(style "and plain" build)" "^-1 -1$" "and stop where the build said"
like "$(style "error: expected" build)" "^1 -1 bold" "the theme paints errors (log.error, red bold)"
like "$(style "warning: unused" build)" "^3 -1" "and warnings (log.warning, yellow)"
like "$(style "RESULT: FAILED" console)" "^1 -1 bold" "console.bad paints RESULT: FAILED"
like "$(ui_dump console)" "Freeing unused kernel memory" "the console shows the guest's lines"
is "$(cat "$UI_DUMPS/termlog")" "" "titles and bells from the guest never reach the real terminal"
g1=$(style "─ graph" console)
b1=$(style "─ build" console)
g2=$(style "─ graph" focus)
b2=$(style "─ build" focus)
ok -m "the focused pane's title stands out ($g1 / $b1)" test "$g1" != "$b1"
ok -m "Tab moves the highlight to the build pane" test "$b2" = "$g1" -a "$g2" = "$b1"

# Scrollback and search in the log.
ui_run -s 80x24 <<SCRIPT
feedfile build $TEST_DIR/build.bytes
key Tab
dump live
key PgUp
dump back
key End
dump end
key /
type needle
key Enter
dump found
key Home
dump top
SCRIPT
is "$ui_rc" 0 "scrolling and searching the build log works"
like "$(ui_dump live)" "kernel/file200\.o" "the log shows its live end"
like "$(ui_line back '─ build')" "\[-[0-9]+\]" "PgUp scrolls back; the title shows how far"
unlike "$(ui_dump back)" "kernel/file200\.o" "the live end is out of view"
is "$(ui_dump end)" "$(ui_dump live)" "End returns to the live end"
like "$(ui_dump found)" "find the needle here" "/ finds a line far back in the log"
like "$(ui_dump top)" "kernel/file1\.o" "Home shows the oldest line kept"

# The console: keys go to the guest, Ctrl-a c flips serial and monitor.
ui_run <<'SCRIPT'
key Tab Tab
dump console-focus
key C-a c
dump monitor
key q j k g b
dump still
key C-a c
dump serial
key C-a Tab
key q
SCRIPT
is "$ui_rc" 0 "the console session ends with q from the graph"
like "$(ui_dump monitor)" "console \[MONITOR \| Ctrl-a c: serial\]" "Ctrl-a c shows the monitor mark"
like "$(ui_dump serial)" "console \(serial \| Ctrl-a c: monitor\)" "Ctrl-a c again: serial"
is "$(ui_dump still | sed '/console/d')" "$(ui_dump monitor | sed '/console/d')" \
	"in the console, q j k g b go to the guest, not to the workstation"
is "$(halve status --porcelain | grep -c '^good')" 1 "g typed into the console marked nothing"
done_testing
