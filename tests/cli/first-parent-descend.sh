# tests/cli/first-parent-descend.sh: the seed story. On a mainline with
# merged topic branches, `start --first-parent` finds the merge that brought
# the bug (testing mainline commits only, as git does); `descend` opens a
# nested bisection of what that merge brought in (bad = M^2, good = M^1),
# which ends on the topic commit with the path that led there (M -> culprit);
# `ascend` returns to the outer bisection. When the merged side alone is
# good, the bug comes from combining the two sides and halve says so.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_kernel_like
write_oracle "$TEST_DIR/oracle"
short_merge=$(printf '%.7s' "$KL_MERGE")
short_culprit=$(printf '%.7s' "$KL_CULPRIT")
path_line="$short_merge[0-9a-f]*[^0-9a-f].*(->|→).*$short_culprit"

agree_with_git "--first-parent" "start --first-parent v2 v1"
halve reset >/dev/null 2>&1

git bisect start --first-parent v2 v1 >/dev/null 2>&1
git_steps=$(mark_until_done git bisect)
git bisect reset >/dev/null 2>&1
halve start --first-parent v2 v1 >/dev/null 2>&1
ok -m "--first-parent is recorded in BISECT_FIRST_PARENT" test -e .git/BISECT_FIRST_PARENT
steps=$(mark_until_done halve)
is "$steps" "$git_steps" "by hand, --first-parent goes the way git goes, step by step"
is "$(found_in "$(cat "$TEST_DIR/.last-out")")" "$KL_MERGE" "--first-parent ends on the merge that brought the bug"
off_mainline=
for c in $(printf '%s\n' "$steps" | sed -n 's/^\(good\|bad\) //p'); do
	git rev-list --first-parent v2 ^v1 | grep -qx "$c" || off_mainline="$off_mainline $(subject "$c")"
done
is "$off_mainline" "" "--first-parent tests mainline commits only"

capture halve descend
is "$rc" 0 "descend into the first bad merge exits 0"
like "$out" '^Bisecting: ' "descend announces the first commit to test"
is "$(status_of depth)" 1 "status --porcelain: depth 1 inside the merge"
like "$(status_of good)" "^$(sha "$KL_MERGE^1")\$" "the nested bisection's good commit is M^1"
ok -m "the commit to test is one the merge brought in" \
	test -n "$(git rev-list "$KL_MERGE^2" "^$KL_MERGE^1" | grep -Fx "$(git rev-parse HEAD)")"
is "$(cat .git/halve/stack 2>/dev/null | wc -l | tr -d ' ')" 1 ".git/halve/stack holds one frame"
# halve may test M^2 itself first (to tell a culprit from a combination).
if [ "$(git rev-parse HEAD)" = "$(sha "$KL_MERGE^2")" ]; then
	halve bad >/dev/null 2>&1
fi
is "$(status_of bad)" "$(sha "$KL_MERGE^2")" "the nested bisection's bad commit is M^2"
steps=$(mark_until_done halve)
last=$(cat "$TEST_DIR/.last-out")
is "$(found_in "$last")" "$KL_CULPRIT" "the nested bisection finds the topic commit"
like "$last" "$path_line" "the answer shows the path: merge -> topic commit"
is "$(status_of state)" found "status --porcelain: state found in the nested bisection"
is "$(status_of first-bad)" "$KL_CULPRIT" "status --porcelain: first-bad is the topic commit"
is "$(status_of depth)" 1 "status --porcelain: still depth 1 until ascend"
capture halve ascend
is "$rc" 0 "ascend exits 0"
is "$(status_of depth)" 0 "ascend returns to depth 0"
is "$(status_of first-bad)" "$KL_MERGE" "the outer bisection still ends on the merge"
capture halve ascend
ok -m "ascend at depth 0 fails" test "$rc" != 0
like "$err" '^halve: ' "ascend at depth 0 is a halve: error"
halve reset >/dev/null 2>&1

# The same with run, never testing more than git does on the mainline.
git bisect start --first-parent v2 v1 >/dev/null 2>&1
git bisect run "$TEST_DIR/oracle" >/dev/null 2>&1
git_count=$(oracle_count "$TEST_DIR/oracle")
git bisect reset >/dev/null 2>&1
: >"$TEST_DIR/oracle.count"
halve start --first-parent v2 v1 >/dev/null 2>&1
capture halve run "$TEST_DIR/oracle"
is "$(found_in "$out")" "$KL_MERGE" "run with --first-parent ends on the merge"
ok -m "run with --first-parent tests no more commits than git ($git_count)" \
	test "$(oracle_count "$TEST_DIR/oracle")" -le "$git_count"
capture halve descend 2
is "$rc" 0 "descend 2 (the merged parent, named) exits 0"
capture halve run "$TEST_DIR/oracle"
is "$rc" 0 "run inside the merge exits 0"
is "$(found_in "$out")" "$KL_CULPRIT" "run inside the merge finds the topic commit"
like "$out" "$path_line" "run inside the merge shows the path"
capture halve reset
is "$rc" 0 "reset inside a nested bisection exits 0"
is "$(git symbolic-ref -q HEAD)" refs/heads/main "reset inside a nested bisection returns to the branch"
ok -m "reset inside a nested bisection removes the stack" test ! -s .git/halve/stack
is "$(git for-each-ref refs/bisect)" "" "reset inside a nested bisection removes every bisect ref"
is "$(status_of state)" none "after reset: state none"

# descend needs a first bad merge.
capture halve descend
ok -m "descend with no session fails" test "$rc" != 0
like "$err" '^halve: ' "descend with no session is a halve: error"
halve start v2 v1 >/dev/null 2>&1
halve run "$TEST_DIR/oracle" >/dev/null 2>&1
before=$(bisect_state)
capture halve descend
ok -m "descend when the first bad commit is not a merge fails" test "$rc" != 0
like "$err" '^halve: ' "that is a halve: error"
is "$(bisect_state)" "$before" "and it writes nothing"
halve reset >/dev/null 2>&1

# An evil merge: both sides good, the merge bad.
cd "$TEST_DIR"
repo_kernel_like combine evil
write_oracle "$TEST_DIR/evil-oracle"
halve start --first-parent v2 v1 >/dev/null 2>&1
capture halve run "$TEST_DIR/evil-oracle"
is "$(found_in "$out")" "$KL_MERGE" "combine: --first-parent ends on the merge"
halve descend >/dev/null 2>&1
capture halve run "$TEST_DIR/evil-oracle"
like "$(printf '%s\n' "$out" | tr 'A-Z' 'a-z')" 'combin' \
	"combine: run inside the merge says the bug comes from combining the sides"
unlike "$out" 'is the first bad commit' "combine: run inside the merge claims no first bad commit"
halve reset >/dev/null 2>&1

halve start --first-parent v2 v1 >/dev/null 2>&1
halve run "$TEST_DIR/evil-oracle" >/dev/null 2>&1
halve descend >/dev/null 2>&1
capture halve good "$KL_MERGE^2"
like "$(printf '%s\n' "$out" | tr 'A-Z' 'a-z')" 'combin' \
	"combine: marking M^2 good by hand says the bug comes from combining the sides"
unlike "$out" 'is the first bad commit' "combine: and claims no first bad commit"
halve reset >/dev/null 2>&1

done_testing
