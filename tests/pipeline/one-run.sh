# tests/pipeline/one-run.sh: one pipeline at a time on a work tree. While
# a `halve run` is in its test, a second `halve run` and the workstation's
# r refuse, naming the running one's pid and step, and write nothing. A
# `running` file whose halve died is taken over, and the verdict that
# halve wrote but had not marked yet is marked, not tested again. No qemu:
# a [test] command that waits on a FIFO holds the first run in its step.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/ui/lib.sh"

repo_linear 20 13
mkfifo "$TEST_DIR/ready" "$TEST_DIR/go" || bail_out "mkfifo failed"
cat >"$TEST_DIR/test.sh" <<EOT
#!/bin/sh
# the pipeline's test: logs the commit; holds while $TEST_DIR/hold is there
echo "\$HALVE_COMMIT" >>'$TEST_DIR/tested'
if [ -e '$TEST_DIR/hold' ]; then
	echo ready >'$TEST_DIR/ready'
	cat '$TEST_DIR/go' >/dev/null
fi
test ! -e BUG
EOT
chmod 755 "$TEST_DIR/test.sh"
printf '[test]\ncommand = %s\n' "$TEST_DIR/test.sh" >"$TEST_DIR/halve.conf"
halve start --config "$TEST_DIR/halve.conf" c20 c1 >/dev/null 2>&1 ||
	bail_out "halve start failed"
c10=$(sha c10)

# The first run, held in its first step's test.
: >"$TEST_DIR/hold"
"$HALVE" run >"$TEST_DIR/run1.out" 2>&1 &
run1=$!
read -r ready <"$TEST_DIR/ready"
is "$ready" ready "(the first run is testing its first step)"
before=$(bisect_state)

capture halve run
ok -m "a second halve run is refused" test "$rc" != 0
is "$err" "halve: run: a pipeline is running (pid $run1, step $c10)" \
	"naming the running one's pid and step"
is "$out" "" "and printing nothing else"
is "$(bisect_state)" "$before" "it wrote nothing"

ui_run -halve -s 160x24 <<'SCRIPT'
key r
wait-for "a pipeline is running"
dump refused
SCRIPT
is "$ui_rc" 0 "(the workstation ran its script)"
like "$(ui_dump refused)" "run: a pipeline is running \(pid $run1, step $c10" \
	"the workstation's r refuses the same way"
is "$(bisect_state)" "$before" "and writes nothing either"

rm "$TEST_DIR/hold"
echo go >"$TEST_DIR/go"
wait "$run1"
is "$?" 0 "the first run goes on to the end"
is "$(found_in "$(cat "$TEST_DIR/run1.out")")" "$(sha c13)" "and finds c13"
ok -m "and leaves no running file" test ! -e .git/halve/running
halve reset >/dev/null 2>&1

# A halve killed between writing a verdict and marking it leaves both a
# `running` file naming the step, saying it was decided, and the step's
# verdict file. The pid in it is dead.
dead=$(sh -c 'echo $$')
stale_run() {
	rm -rf ".git/halve/steps/$c10"
	mkdir -p ".git/halve/steps/$c10"
	printf 'stage %s\ncommit %s\nstarted 0\npid %s\n%s' "$1" "$c10" "$2" \
		"${3:-}" >.git/halve/running
}
halve start --config "$TEST_DIR/halve.conf" c20 c1 >/dev/null 2>&1
stale_run checkout "$dead" 'decided 1
'
printf 'commit %s\nverdict good\nreason test passed (exit 0)\nexit 0\n' "$c10" \
	>".git/halve/steps/$c10/verdict"
: >"$TEST_DIR/tested"
capture halve run
is "$rc" 0 "a stale running file is taken over: halve run goes on"
like "$err" "^halve: run: taking over from a pipeline that is gone \(pid $dead, step $c10\)" \
	"and says so on stderr"
is "$(found_in "$out")" "$(sha c13)" "to the culprit"
fails -m "the step the dead run had decided is not tested again" \
	grep -qx "$c10" "$TEST_DIR/tested"
ok -m "its verdict is marked" grep -qx "git bisect good $c10" .git/BISECT_LOG
ok -m "with its reason" grep -qx "# halve: test passed (exit 0)" .git/BISECT_LOG
is "$(sed -n 's/^verdict //p' ".git/halve/steps/$c10/verdict")" good \
	"and its verdict file is kept"
halve reset >/dev/null 2>&1

# A live pid that is no pipeline (the pid was reused): nobody holds the
# lock, so the file is stale all the same. Killed before the verdict:
# the step is tested again.
halve start --config "$TEST_DIR/halve.conf" c20 c1 >/dev/null 2>&1
stale_run build $$
: >"$TEST_DIR/tested"
capture halve run
is "$rc" 0 "a running file naming a live process that holds no lock is stale too"
is "$(found_in "$out")" "$(sha c13)" "and the run finds the culprit"
ok -m "the step the dead run had not decided is tested again" \
	grep -qx "$c10" "$TEST_DIR/tested"
halve reset >/dev/null 2>&1

# The workstation says so in its status bar (its first test held, so
# that the words stay there to be read).
halve start --config "$TEST_DIR/halve.conf" c20 c1 >/dev/null 2>&1
stale_run boot "$dead"
: >"$TEST_DIR/hold"
ui_run -halve -s 200x24 <<'SCRIPT'
key r
wait-for "taking over from a pipeline"
dump took-over
sh rm "$TEST_DIR/hold"; read r <"$TEST_DIR/ready"; echo go >"$TEST_DIR/go"
wait-for "first bad"
SCRIPT
is "$ui_rc" 0 "(the workstation ran its script)"
like "$(ui_dump took-over)" "run: taking over from a pipeline that is gone \(pid $dead, step $c10\)" \
	"the workstation's r takes over a dead run and its status bar says so"
is "$(status_of first-bad)" "$(sha c13)" "and the run goes on to the culprit"

done_testing
