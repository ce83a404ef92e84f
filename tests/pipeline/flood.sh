# tests/pipeline/flood.sh: a console that floods. A guest printing ten
# thousand lines before its verdict (the line count and the log stay
# right); then 64 MiB of lines, and 64 MiB with no newline at all, poured
# into halve's console pty at host speed by a stand-in for qemu before
# the real one boots: halve keeps up, decides on the guest's line after
# them, and its peak memory stays far below the flood.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

make_guest_repo okay flood:10000 failed
guest_config "$TEST_DIR/halve.conf"
halve start --config "$TEST_DIR/halve.conf" c3 c1 >/dev/null 2>&1
run_pipeline run
is "$(found_in "$out")" "$(sha c2)" "the flooding guest's RESULT: FAILED still decides"
is "$(verdict_of c2 line)" "RESULT: FAILED" "c2: the deciding line"
n=$(verdict_of c2 lineno)
ok -m "c2: its line number counts the flood ($n > 10000)" test "${n:-0}" -gt 10000
log=$(step_dir c2)/console.log
if grep -q "guest: flood line 10000 of 10000" "$log"; then
	pass "c2: console.log is complete"
	is "$(console_line c2 "$n")" "RESULT: FAILED" "c2: console.log's line $n is the deciding line"
else
	size=$(wc -c <"$log")
	ok -m "c2: console.log is capped, not lost ($size bytes)" test "$size" -ge 262144
fi
halve reset >/dev/null 2>&1

# The stand-ins write to the pty halve gave "qemu", then become qemu.
write_hwm_script "$TEST_DIR/hwm"
cat >"$TEST_DIR/lines-qemu" <<END_OF_SCRIPT
#!/bin/sh
# stands in for qemu: 64 MiB of console lines, halve's peak memory, then qemu
yes 'host flood: one more line of console output, as fast as the host can' | head -c 67108864
'$TEST_DIR/hwm' >>'$TEST_DIR/hwm.log'
exec qemu-system-x86_64 "\$@"
END_OF_SCRIPT
cat >"$TEST_DIR/longline-qemu" <<END_OF_SCRIPT
#!/bin/sh
# stands in for qemu: 64 MiB without a newline, halve's peak memory, then qemu
head -c 67108864 /dev/zero | tr '\\0' y
echo
'$TEST_DIR/hwm' >>'$TEST_DIR/hwm.log'
exec qemu-system-x86_64 "\$@"
END_OF_SCRIPT
chmod 755 "$TEST_DIR/lines-qemu" "$TEST_DIR/longline-qemu"

for kind in lines longline; do
	make_guest_repo okay okay failed
	: >"$TEST_DIR/hwm.log"
	guest_config "$TEST_DIR/$kind.conf" "boot.qemu-prog=$TEST_DIR/$kind-qemu"
	halve start --config "$TEST_DIR/$kind.conf" c3 c1 >/dev/null 2>&1
	run_pipeline run
	is "$(found_in "$out")" "$(sha c3)" "$kind: after 64 MiB the guest's RESULT: OKAY decides"
	is "$(verdict_of c2 line)" "RESULT: OKAY" "$kind: the deciding line"
	hwm=$(cat "$TEST_DIR/hwm.log")
	like "$hwm" '^[0-9]+$' "$kind: halve's VmHWM was read after the flood (${hwm:-none} kB)"
	ok -m "$kind: halve's peak RSS stayed under 32 MiB (${hwm:-?} kB)" \
		test "${hwm:-999999}" -lt 32768
	diag "$kind: console.log is $(wc -c <"$(step_dir c2)/console.log") bytes"
	halve reset >/dev/null 2>&1
done

done_testing
