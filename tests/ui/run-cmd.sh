# tests/ui/run-cmd.sh: the workstation runs a test command as `halve run
# CMD` does (`halve --run CMD`, then r): each commit tested by CMD's exit
# code through the core's runner, the test's output in the build pane,
# and the same marks, log and answer as the CLI's run.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

repo_linear 24 9
write_oracle "$TEST_DIR/oracle"
cat >"$TEST_DIR/loud-oracle" <<EOF
#!/bin/sh
echo "testing \$(git log -1 --format=%s)"
exec "$TEST_DIR/oracle"
EOF
chmod +x "$TEST_DIR/loud-oracle"

# The CLI's run, for reference.
halve start c24 c1 >/dev/null 2>&1
halve run "$TEST_DIR/oracle" >/dev/null 2>&1
grep '^git bisect' .git/BISECT_LOG >"$TEST_DIR/cli.marks"
halve reset >/dev/null 2>&1

halve start c24 c1 >/dev/null 2>&1
ui_run -halve -a 120 -args "--run $TEST_DIR/loud-oracle" <<'SCRIPT'
key r
wait-for "first bad commit"
wait-in build "testing c"
dump end
SCRIPT
is "$ui_rc" 0 "the workstation ran the command to the end"
like "$(ui_dump end)" "first bad commit: $(git rev-parse --short=7 c9)" \
	"the status bar names the culprit"
is "$(status_of first-bad)" "$(sha c9)" "halve status agrees"
is "$(grep '^git bisect' .git/BISECT_LOG)" "$(cat "$TEST_DIR/cli.marks")" \
	"the same marks as halve run CMD, in the same order"
halve reset >/dev/null 2>&1

# Results weighed (run --confidence): the status bar says how sure, and a
# commit that was run says how its runs went.
halve start c24 c1 >/dev/null 2>&1
halve run --confidence "$TEST_DIR/oracle" >/dev/null 2>&1
runs=$(status_of observation | grep -c "^$(sha c9) ")
ui_run -halve -a 160 <<'SCRIPT'
wait-for "confidence"
dump end
SCRIPT
like "$(ui_dump end)" "first bad commit: $(git rev-parse --short=7 c9) \(confidence 0\.99[0-9] after [0-9]+ runs\)" \
	"a weighed answer: the status bar says how sure"
like "$(ui_dump end)" "$(git rev-parse --short=7 c9) .*bad $runs/$runs" \
	"the culprit's row: bad in every one of its runs"
halve reset >/dev/null 2>&1

done_testing
