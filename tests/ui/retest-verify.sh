# tests/ui/retest-verify.sh: the workstation's t and V, on a pipeline
# whose [test] command runs on the host (no qemu). t runs the selected
# commit once and marks it as a step's verdict is marked (under
# --confidence: one more result), as `halve run --retest` does; V runs
# `halve verify`'s checks on the first bad commit, each check named in the
# status bar while it runs, the summary on screen at the end. Before a
# culprit V says there is none; without a config, or while a run holds
# the pipeline (a test that waits on a FIFO), both refuse and write
# nothing. [verify] after-run makes r verify what it finds. With --run
# CMD, t re-tests with CMD.
#
# The history: c1..c12, each adding a file of its own; c7's is BUG.md,
# which the test looks for. So BAD with c7 reverted is clean, and c7
# changes only documentation: V verifies it, with a doubt.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

short() {
	git rev-parse --short=12 "$1"
}
# tested REV: how many times the pipeline's test ran REV
tested() {
	grep -c "^$(sha "$1")\$" "$TEST_DIR/tested"
}
# porcelain NAME KEY: KEY's values in the status saved as NAME
porcelain() {
	awk -v k="$2" '$1 == k { sub(/^[^ ]+ ?/, ""); print }' "$TEST_DIR/porcelain.$1"
}

repo_new
i=1
while [ "$i" -le 12 ]; do
	if [ "$i" -eq 7 ]; then
		repo_commit c7 BUG.md "introduced by c7"
	else
		repo_commit "c$i" "f$i"
	fi
	git tag "c$i"
	i=$((i + 1))
done
REPO_BUG_FILE=BUG.md
mkfifo "$TEST_DIR/ready" "$TEST_DIR/go" || bail_out "mkfifo failed"
cat >"$TEST_DIR/test.sh" <<EOT
#!/bin/sh
# the pipeline's test: logs the commit; holds while $TEST_DIR/hold is there
echo "\$HALVE_COMMIT" >>'$TEST_DIR/tested'
if [ -e '$TEST_DIR/hold' ]; then
	echo ready >'$TEST_DIR/ready'
	cat '$TEST_DIR/go' >/dev/null
fi
test ! -e BUG.md
EOT
chmod 755 "$TEST_DIR/test.sh"
printf '[test]\ncommand = %s\n' "$TEST_DIR/test.sh" >"$TEST_DIR/halve.conf"
: >"$TEST_DIR/tested"

# A believed session: t on c4 marks it good, as its test says.
halve start --config "$TEST_DIR/halve.conf" c12 c1 >/dev/null 2>&1 ||
	bail_out "halve start failed"
ui_run -halve -s 160x24 <<'SCRIPT'
key /
type ^c4$
key Enter t
wait-for "re-test: good"
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.believed"
dump believed
SCRIPT
is "$ui_rc" 0 "(the workstation ran its script)"
[ "$ui_rc" = 0 ] || diag "$ui_err"
is "$(tested c4)" 1 "t ran the selected commit's test once"
like "$(ui_dump believed | tail -n 1)" \
	"re-test: good \(test passed \(exit 0\)\); next to test: [0-9a-f]{12} \(r goes on\)" \
	"the status bar says the result, and what is next"
like "$(porcelain believed good)" "$(sha c4)" "c4 is marked good (halve status)"
is "$(tested c5)" 0 "and nothing else ran"
halve reset >/dev/null 2>&1

# Before a culprit, V says there is none; without a config, t and V refuse.
halve start c12 c1 >/dev/null 2>&1
before=$(bisect_state)
ui_run -halve -s 160x24 <<'SCRIPT'
key t
wait-for "re-test: no pipeline config"
dump no-config
key V
wait-for "verify: no pipeline config"
SCRIPT
like "$(ui_dump no-config | tail -n 1)" "re-test: no pipeline config \(give one with" \
	"t without a config: the status bar says so"
is "$(bisect_state)" "$before" "and nothing is written"
halve reset >/dev/null 2>&1
halve start --config "$TEST_DIR/halve.conf" c12 c1 >/dev/null 2>&1
ui_run -halve -s 160x24 <<'SCRIPT'
key V
wait-for "verify: no first bad commit to verify yet"
dump no-culprit
SCRIPT
like "$(ui_dump no-culprit | tail -n 1)" "verify: no first bad commit to verify yet" \
	"V before a culprit: the status bar says there is none"

# While r's run holds the pipeline (its test waits on a FIFO), t and V
# refuse and run nothing; the run goes on to its end.
: >"$TEST_DIR/hold"
: >"$TEST_DIR/tested"
ui_run -halve -s 160x24 <<'SCRIPT'
key r
sh cat "$TEST_DIR/ready" >/dev/null
key End t
wait-for "re-test: the pipeline is running"
dump held-t
key V
wait-for "verify: the pipeline is running"
dump held-v
sh rm "$TEST_DIR/hold" && echo go >"$TEST_DIR/go"
wait-for "is the first bad commit"
dump run-end
SCRIPT
is "$ui_rc" 0 "(the workstation ran its script)"
like "$(ui_dump held-t | tail -n 1)" "re-test: the pipeline is running \(p pauses it after this step\)" \
	"t while a run holds the pipeline: refused"
like "$(ui_dump held-v | tail -n 1)" "verify: the pipeline is running" \
	"V likewise"
is "$(tested c1)" 0 "the commit selected was not run"
like "$(ui_dump run-end | tail -n 1)" "$(short c7) is the first bad commit" \
	"the run went on to its end"
halve reset >/dev/null 2>&1

# Results weighed: a run names c7 with confidence; t on it adds a result,
# then V checks it, naming each check while it runs.
halve start --config "$TEST_DIR/halve.conf" c12 c1 >/dev/null 2>&1
halve run --confidence >/dev/null 2>&1 || bail_out "halve run --confidence failed"
: >"$TEST_DIR/tested"
halve status --porcelain >"$TEST_DIR/porcelain.weighed"
runs=$(porcelain weighed runs)
c7bad=$(porcelain weighed observation | grep -c "^$(sha c7) bad")
ui_run -halve -s 200x24 <<SCRIPT
key f t
wait-for "re-test: bad"
sh "\$HALVE" status --porcelain >"\$TEST_DIR/porcelain.retested"
dump retested
sh : >"\$TEST_DIR/hold"
key V
sh cat "\$TEST_DIR/ready" >/dev/null
wait-for "verify: parent $(short c6): testing"
dump checking
sh rm "\$TEST_DIR/hold" && echo go >"\$TEST_DIR/go"
wait-for "verified: "
dump verified
SCRIPT
is "$ui_rc" 0 "(the workstation ran its script)"
[ "$ui_rc" = 0 ] || diag "$ui_err"
is "$(porcelain retested runs)" "$((runs + 1))" "t adds one run to the session"
is "$(porcelain retested observation | grep -c "^$(sha c7) bad")" "$((c7bad + 1))" \
	"a result of c7, bad"
like "$(ui_dump retested | tail -n 1)" "re-test: bad .*; $(short c7) is the first bad commit" \
	"the status bar says the result and that c7 is still the answer"
like "$(ui_dump checking | tail -n 1)" "verify: parent $(short c6): testing" \
	"while V runs, the status bar names the check and its commit"
like "$(ui_dump verified | tail -n 1)" "verified: parent good [0-9]+/[0-9]+, culprit bad [0-9]+/[0-9]+, BAD without culprit good" \
	"at the end the summary is on screen"
like "$(ui_dump verified)" "│doubt: $(short c7) changes only documentation" \
	"the report's doubt is in the build pane, under the summary"
ok -m "V ran the culprit's parent, the culprit and BAD" \
	test "$(tested c6)" -gt 0 -a "$(tested c7)" -gt 1 -a "$(tested c12)" -gt 0
is "$(git rev-parse HEAD)" "$(sha c7)" "the culprit is checked out again"

# Another process's run holds the pipeline (halve run --retest c3 in its
# test): V and t refuse as r does, and leave its work tree alone.
: >"$TEST_DIR/hold"
"$HALVE" run --retest c3 >"$TEST_DIR/retest.out" 2>&1 &
other=$!
read -r ready <"$TEST_DIR/ready"
before=$(bisect_state)
ui_run -halve -s 200x24 <<'SCRIPT'
key V
wait-for "a pipeline is running"
dump other-v
key t
wait-for "a pipeline is running"
dump other-t
SCRIPT
like "$(ui_dump other-v | tail -n 1)" "run: a pipeline is running \(pid $other, step $(sha c3)" \
	"V while another halve runs: refused, naming it"
like "$(ui_dump other-t | tail -n 1)" "run: a pipeline is running \(pid $other" \
	"t likewise"
is "$(bisect_state)" "$before" "and the work tree and the session are left alone"
rm "$TEST_DIR/hold"
echo go >"$TEST_DIR/go"
wait "$other"
halve reset >/dev/null 2>&1

# [verify] after-run: r's run, once it finds c7, verifies it as V would.
printf '[test]\ncommand = %s\n[verify]\nafter-run = yes\n' "$TEST_DIR/test.sh" \
	>"$TEST_DIR/verify.conf"
halve start --config "$TEST_DIR/verify.conf" c12 c1 >/dev/null 2>&1
ui_run -halve -s 200x24 <<'SCRIPT'
key r
wait-for "verified: "
dump after-run
SCRIPT
is "$ui_rc" 0 "(the workstation ran its script)"
like "$(ui_dump after-run | tail -n 1)" "verified: parent good" \
	"with [verify] after-run, r verifies the culprit it finds"
halve reset >/dev/null 2>&1

# --run CMD: t re-tests with CMD.
write_oracle "$TEST_DIR/oracle"
halve start c12 c1 >/dev/null 2>&1
ui_run -halve -s 160x24 -args "--run $TEST_DIR/oracle" <<'SCRIPT'
key /
type ^c9$
key Enter t
wait-for "re-test: bad"
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.cmd"
SCRIPT
is "$ui_rc" 0 "(the workstation ran its script)"
is "$(cat "$TEST_DIR/oracle.count")" "$(sha c9)" "with --run CMD, t runs CMD on the selected commit"
is "$(porcelain cmd bad)" "$(sha c9)" "and marks it bad"
halve reset >/dev/null 2>&1

done_testing
