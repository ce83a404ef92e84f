# tests/pipeline/slots.sh: [boot] slots = 2 under [verdict] confidence:
# each step builds its commit once and boots it twice at once, each boot
# its own qemu, console log, verdict and run directory, each a result of
# the session; the guest that fails every other boot is found so.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

make_guest_repo okay okay okay flaky flaky flaky
flaky_qemu "$TEST_DIR/qemu"
guest_config "$TEST_DIR/halve.conf" boot.qemu-prog="$TEST_DIR/qemu"
printf '[verdict]\nconfidence = 0.95\n' >>"$TEST_DIR/halve.conf"
sed 's/^hang    = skip$/hang    = skip\nslots   = 2/' "$TEST_DIR/halve.conf" >"$TEST_DIR/slots.conf"
grep -q '^slots   = 2$' "$TEST_DIR/slots.conf" || bail_out "no slots line in the config"

capture halve start --config "$TEST_DIR/slots.conf" c6 c1
is "$rc" 0 "start with [boot] slots = 2"
run_pipeline run
is "$rc" 0 "the run exits 0"
[ "$rc" = 0 ] || tap_show "halve's stderr" "$TEST_DIR/.cap-err"
is "$(found_in "$out")" "$(sha c4)" "it names c4"
runs=$(status_of runs)
commits=$(status_of commits)
boots=$(grep -c '^start' "$TEST_DIR/boots.log")
is "$boots" "$runs" "every boot is a result ($runs runs)"
is "$((runs % 2))" 0 "boots come in pairs"
is "$(wc -l <"$TEST_DIR/builds.log")" "$commits" "each commit built once ($commits)"

# Two at once: for every commit, a second boot started before the first ended.
overlap=$(awk '$1 == "start" { live[$2]++; if (live[$2] > most[$2]) most[$2] = live[$2] }
	$1 == "end" { live[$2]-- }
	END { for (c in most) if (most[c] < 2) print c }' "$TEST_DIR/boots.log")
is "$overlap" "" "the two boots of each step ran at the same time"

# Each boot its own run directory, console log and verdict.
dirs=$(ls .git/halve/steps | wc -l)
is "$dirs" "$runs" "a run directory per boot"
missing=
for d in .git/halve/steps/*; do
	[ -s "$d/console.log" ] && [ -s "$d/verdict" ] || missing="$missing $d"
done
is "$missing" "" "each with its console log and verdict"
is "$(cat .git/halve/steps/*/verdict | grep -c '^verdict bad')" \
	"$(status_of observation | grep -c ' bad$' | awk '{ print $1 - 1 }')" \
	"the bad verdicts are the bad results (c6's from the start aside)"
c4=$(sha c4)
is "$(grep -h '^verdict' .git/halve/steps/$c4*/verdict | sort | uniq -c | awk '{ print $1 }' | tr '\n' ' ')" \
	"$(($(boots_of c4) / 2)) $(($(boots_of c4) / 2)) " \
	"c4's pairs: one boot passed, one failed, every time"

done_testing
