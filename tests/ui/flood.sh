# tests/ui/flood.sh: a guest that floods the serial console while the
# workstation shows it, with real qemu. Keys typed on the terminal itself
# (through the pty, as a person types them, not the script's shortcut)
# take effect while the flood runs: Tab Tab focuses the console, Ctrl-a c
# brings up qemu's monitor and back, Ctrl-a Tab leaves the console and ?
# opens the help. Then q stops the step and quits with status 0, leaving
# no qemu behind, no step said to be running, and the session as it was.
# A mark typed while the step runs cancels it just as cleanly, and counts.
# (Memory under a flood of 64 MiB is tests/pipeline/flood.sh's; a TCG
# guest's serial port is too slow to flood that much here in good time.)
# Skipped (1..0 # SKIP) without qemu, a kernel or busybox.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/pipeline/lib.sh" || exit 99
pipeline_require
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

# c2 floods for far longer than the test lasts: q ends it.
make_guest_repo okay flood:50000000 failed
guest_config "$TEST_DIR/halve.conf"
halve start --config "$TEST_DIR/halve.conf" c3 c1 >/dev/null 2>&1 ||
	bail_out "halve start --config failed"

ui_run -halve -k -a 300 -s 100x30 <<'SCRIPT'
key r
wait-in console "flood line [0-9]+ of"
sh printf '\t\t\001c' >"$UI_KEYS"
wait-for "MONITOR \| Ctrl-a c: serial"
dump monitor
sh printf '\001c' >"$UI_KEYS"
wait-for "serial \| Ctrl-a c: monitor"
sh printf '\001\t?' >"$UI_KEYS"
wait-for "keys \(\? Esc q: close"
dump help
sh printf '\033' >"$UI_KEYS"
wait-in console "flood line [0-9]{5,} of"
sh cat .git/halve/steps/*/console.log | wc -c >"$TEST_DIR/flooded"
dump flooding
key q
SCRIPT
is "$ui_rc" 0 "q during the flood quits with status 0"
[ "$ui_rc" = 0 ] || diag "$ui_err"
like "$(ui_line monitor '─ console')" "\[MONITOR \| Ctrl-a c: serial\]" \
	"Ctrl-a c typed during the flood brought up the monitor"
like "$(ui_dump help | head -n 1)" "keys \(\? Esc q: close" \
	"? typed during the flood opened the help"
like "$(ui_line flooding '─ console')" "serial" "and Esc closed it, the console back on serial"
like "$(ui_dump flooding)" "flood line [0-9]+ of" "the console shows the flood"

flooded=$(tr -d ' ' <"$TEST_DIR/flooded")
ok -m "the flood was under way (10,000 lines: $flooded bytes)" \
	test "${flooded:-0}" -gt 600000

is "$(status_of current)" "$(sha c2)" "the session is as it was: c2 still to test"
ok -m "the step was stopped: no running file" test ! -e .git/halve/running
is "$(cd / && processes_in "$REPO_DIR")" "" "qemu is gone: no process left in the work tree"

# b typed on the commit under test while it floods: the step is
# cancelled, the mark is the session's, and the bisection ends on it.
ui_run -halve -k -a 300 -s 100x30 <<'SCRIPT'
key r
wait-in console "flood line [0-9]+ of"
sh printf 'b' >"$UI_KEYS"
wait-for "first bad"
dump marked
SCRIPT
is "$ui_rc" 0 "b during the flood works"
is "$(status_of first-bad)" "$(sha c2)" "it marked c2 bad, which ends the bisection"
like "$(ui_line marked "$(sha c2 | cut -c1-7)")" "\[first bad\]" "the screen says so"
ok -m "the step was cancelled: no running file" test ! -e .git/halve/running
is "$(cd / && processes_in "$REPO_DIR")" "" "qemu is gone after the mark"
done_testing
