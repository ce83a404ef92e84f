# tests/pipeline/demo.sh: `halve demo --headless DIR`, the README's first
# command, bisects the demo repository (src/demo.h) with the pipeline,
# down the first-parent line and into the merge, and ends on the culprit.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require
command -v gcc >/dev/null 2>&1 || skip_all "gcc is needed to build the demo's guest test"

HALVE_KERNEL=$GUEST_KERNEL
export HALVE_KERNEL
capture timeout 600 "$HALVE" demo --headless "$TEST_DIR/demo"
is "$rc" 0 "halve demo --headless exits 0"
[ "$rc" = 0 ] || tap_show "stderr" "$TEST_DIR/.cap-err"
cd "$TEST_DIR/demo" || bail_out "no demo repository"
culprit=$(git log --format='%H %s' --all | awk '/audit: listen in all network namespaces$/ { print $1 }')
merge=$(git log --format='%H %s' --merges main | awk '/Merge branch .audit.$/ { print $1 }')
like "$out" "$(printf %.12s "$culprit")" "the output names the culprit"
like "$out" "culprit is .*: found" "and says it was found"
is "$(verdict_of "$merge" verdict)" bad "the merge was booted on the way and found bad"
skipped=$(grep -l '^verdict skip' .git/halve/steps/*/verdict 2>/dev/null | wc -l)
ok -m "the unbuildable commits the bisection met were skipped ($skipped)" test "$skipped" -ge 1
is "$(verdict_of "$culprit" verdict)" bad "the culprit's own step: bad"

done_testing
