# tests/ui/e2e.sh: the real halve binary on a pseudo terminal, through a
# whole bisection by keypresses, with real builds and real qemu boots
# behind the panes: r starts the pipeline, the build log and the serial
# console fill as the steps run, the terminal is resized in the middle of
# a boot, Ctrl-a c in the console brings up qemu's monitor (where "stop",
# "info status" and "cont" typed by keys pause the guest, say so and
# resume it) and back, and the screen ends on the first bad commit that
# halve status names too.
# Skipped (exit 77 style: 1..0 # SKIP) without qemu, a kernel or busybox.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/pipeline/lib.sh" || exit 99
pipeline_require
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

make_guest_repo okay okay okay failed failed failed
guest_config "$TEST_DIR/halve.conf"
halve start --config "$TEST_DIR/halve.conf" c6 c1 >/dev/null 2>&1 ||
	bail_out "halve start --config failed"

ui_run -halve -a 300 -s 120x32 <<'SCRIPT'
dump before
key r
wait-for "step 1: booting"
wait-for "\[ *[0-9]+\.[0-9]+\] "
resize 100 30
key Tab Tab
key C-a c
wait-in console "QEMU [0-9.]+ monitor"
type stop
key Enter
type info status
key Enter
wait-in console "VM status: paused"
dump monitor
type cont
key Enter
key C-a c
dump serial
key C-a Tab
wait-for "first bad commit"
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.end"
dump done
key q
SCRIPT
is "$ui_rc" 0 "the workstation ran the bisection and quit with status 0"
[ "$ui_rc" = 0 ] || diag "$ui_err"
like "$(ui_dump before | tail -n 1)" "c1\.\.c6" "it opened on the session"
like "$(ui_line monitor '─ console')" "\[MONITOR \| Ctrl-a c: serial\]" \
	"Ctrl-a c during a boot shows the monitor mark"
like "$(cat .git/halve/steps/*/console.log)" "QEMU [0-9.]+ monitor" \
	"Ctrl-a c reached qemu's mux: the monitor answered"
# (the guest's own output may still end up on the line "stop" is echoed
# on, so the proof is what the monitor answers afterwards)
like "$(ui_dump monitor)" "│VM status: paused" \
	"keys typed in the console reached the monitor: stop, then info status"
like "$(ui_dump monitor)" "^ *│\(qemu\)$" "which answered and prompted again"
like "$(ui_line serial '─ console')" "\(serial \| Ctrl-a c: monitor\)" "and Ctrl-a c went back to serial"
is "$(ui_dump monitor | head -n 1 | LC_ALL=C.UTF-8 wc -m | tr -d ' ')" 101 \
	"the resize in the middle of the boot took (100 columns)"
culprit=$(sha c4)
is "$(awk '$1 == "first-bad" { print $2 }' "$TEST_DIR/porcelain.end")" "$culprit" \
	"halve status names c4 the first bad commit"
like "$(ui_line done "$(printf '%.7s' "$culprit")")" "\[first bad\]" "the screen marks it"
like "$(ui_dump done)" "build: done" "the build log shows the last build"
# (the boot figure may be cut at the pane's edge, "boot" is not)
like "$(ui_line done "$(printf '%.7s' "$(sha c3)")")" "build [0-9.]+m?s, boot" \
	"a tested commit shows its build and boot times"
is "$(halve status --porcelain | awk '$1 == "state" { print $2 }')" found \
	"q left the session as it was"
done_testing
