# tests/pipeline/panic.sh: a kernel panic is bad with no rule written for
# it (halve's built-in rules), and the verdict names the panic line.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

make_guest_repo okay panic okay
guest_config "$TEST_DIR/halve.conf"
halve start --config "$TEST_DIR/halve.conf" c3 c1 >/dev/null 2>&1
# c3 is marked bad by hand: the run tests c2 alone.
run_pipeline run
is "$rc" 0 "run exits 0"
is "$(found_in "$out")" "$(sha c2)" "the panicking commit is the first bad one"
is "$(verdict_of c2 verdict)" bad "c2: verdict bad"
is "$(verdict_of c2 rule)" "Kernel panic - " "c2: the built-in rule Kernel panic - "
like "$(verdict_of c2 line)" 'Kernel panic - not syncing: sysrq triggered crash' "c2: the panic line"
n=$(verdict_of c2 lineno)
is "$(console_line c2 "$n")" "$(verdict_of c2 line)" "c2: console.log's line $n is that line"
like "$(verdict_of c2 reason)" '.' "c2: a reason ($(verdict_of c2 reason))"
is "$(cd / && processes_in "$REPO_DIR")" "" "qemu is gone: no process left in the work tree"

done_testing
