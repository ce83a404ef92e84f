# tests/ui/slots.sh: the workstation with [boot] slots = 2 under
# confidence: while a step boots its commit twice at once, the console's
# title says which slot it shows, and o (anywhere, or Ctrl-a o in the
# console) shows the other one, from its start; with one boot, o says
# there is no other. Real builds and TCG boots (skipped without qemu).
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/pipeline/lib.sh" || exit 99
pipeline_require
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

make_guest_repo okay okay okay flaky flaky flaky
flaky_qemu "$TEST_DIR/qemu"
guest_config "$TEST_DIR/halve.conf" boot.qemu-prog="$TEST_DIR/qemu"
printf '[verdict]\nconfidence = 0.9\n' >>"$TEST_DIR/halve.conf"
sed 's/^hang    = skip$/hang    = skip\nslots   = 2/' "$TEST_DIR/halve.conf" >"$TEST_DIR/slots.conf"
halve start --config "$TEST_DIR/slots.conf" c6 c1 >/dev/null 2>&1 ||
	bail_out "halve start --config failed"

ui_run -halve -a 300 -s 120x32 <<'SCRIPT'
key o
wait-for "one boot at a time"
dump idle
key r
wait-for "slot 1 of 2"
dump first
key o
wait-for "slot 2 of 2"
dump second
key Tab Tab
key C-a o
wait-for "slot 1 of 2"
dump back
key C-a Tab
wait-for "first bad commit"
dump done
key q
SCRIPT
is "$ui_rc" 0 "the workstation ran the bisection and quit with status 0"
[ "$ui_rc" = 0 ] || diag "$ui_err"
like "$(ui_dump idle)" "one boot at a time: no other slot to show" "o with nothing booting says so"
like "$(ui_line first '─ console')" "slot 1 of 2 \(o: the next\)" "a step booting twice: the console shows slot 1"
like "$(ui_line second '─ console')" "slot 2 of 2" "o: slot 2"
like "$(ui_line back '─ console')" "slot 1 of 2" "Ctrl-a o in the console: back to slot 1"
like "$(ui_dump done)" "first bad commit" "the run ends on its answer"
is "$(status_of first-bad)" "$(sha c4)" "c4, as halve status says"

done_testing
