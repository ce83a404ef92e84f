# tests/ui/concurrent.sh: the workstation and the CLI marking one session
# at the same time. While the workstation bisects by keys, another process
# skips commits with `halve skip` in a loop; afterwards BISECT_LOG, the
# refs and `git bisect log` agree on every mark, none is lost, and the
# session ends on git's answer. A change another halve was killed in the
# middle of is put back before the workstation changes anything, and a
# session another terminal starts while the workstation shows none is the
# one its first mark goes into.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/lock.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

# Every commit is good but the last: whatever the skips make the
# workstation test next, g is the right key for it (four keys never end
# a bisection of 200 commits, so g never lands on the answer).
repo_linear 200 200
write_oracle "$TEST_DIR/oracle"
halve start c200 c1 >/dev/null 2>&1

(
	i=2
	while [ "$i" -le 150 ]; do
		"$HALVE" skip "c$i" >/dev/null 2>>"$TEST_DIR/lost.err" ||
			echo "c$i" >>"$TEST_DIR/lost"
		i=$((i + 3))
	done
) &
marker=$!
ui_run <<'SCRIPT'
key g
key g
key g
key g
SCRIPT
wait "$marker"
is "$ui_rc" 0 "the workstation marked while another process did"
ok -m "no skip typed elsewhere failed" test ! -s "$TEST_DIR/lost"
[ -s "$TEST_DIR/lost" ] && tap_show "their errors" "$TEST_DIR/lost.err"

skips_refs=$(git for-each-ref refs/bisect/ | grep -c skip-)
is "$(grep -c '^git bisect skip ' .git/BISECT_LOG)" "$skips_refs" \
	"every skip ref has its line in BISECT_LOG"
is "$(($(grep -c '^git bisect good ' .git/BISECT_LOG) + 1))" \
	"$(git for-each-ref refs/bisect/ | grep -c good-)" \
	"every good ref (but the start's) has its line in BISECT_LOG"
ok -m "the workstation's marks are in the log too" \
	test "$(grep -c '^git bisect good ' .git/BISECT_LOG)" -ge 1
is "$(git bisect log | grep -c '^git bisect skip ')" "$skips_refs" \
	"git bisect log sees every skip"

# The session goes on to git's answer: halve to the end, and git from
# halve's log.
cp .git/BISECT_LOG "$TEST_DIR/halve.log"
capture halve run "$TEST_DIR/oracle"
halve_found=$(found_in "$out")
[ -n "$halve_found" ] || diag "halve run: $out $err"
halve reset >/dev/null 2>&1
git bisect replay "$TEST_DIR/halve.log" >/dev/null 2>&1
capture git bisect run "$TEST_DIR/oracle"
git_found=$(found_in "$out")
git bisect reset >/dev/null 2>&1
is "$halve_found" "$(sha c200)" "halve ends on the culprit"
is "$git_found" "$halve_found" "git, from halve's log, ends on the same"

# Another halve's start killed half way while the workstation is open:
# the old session saved aside, the intent written, its files cleared. The
# workstation's first key starts a session (it sees none): the old one is
# put back first, so the branch it began on is not forgotten.
halve start c200 c1 >/dev/null 2>&1
cat >"$TEST_DIR/half-start" <<'EOF'
mkdir -p .git/halve/rollback
cp .git/BISECT_* .git/halve/rollback/
git for-each-ref --format='%(refname:short) %(objectname)' refs/bisect |
	sed 's,^bisect/,,; s,-[0-9a-f]* , ,' >.git/halve/rollback/refs
echo rollback >.git/halve/intent
rm .git/BISECT_*
git for-each-ref --format='%(refname)' refs/bisect |
	while read -r ref; do git update-ref -d "$ref"; done
EOF
ui_run <<SCRIPT
sh sh $TEST_DIR/half-start
key g
SCRIPT
is "$ui_rc" 0 "a half-made start: the workstation goes on"
halve reset >/dev/null 2>&1
is "$(git symbolic-ref -q HEAD)" refs/heads/main \
	"a half-made start: reset still returns to the branch"

# No session when the workstation opens; its first key, b, would start
# one, and waits for the lock another change holds. Meanwhile another
# terminal starts a session and marks (git, which takes no lock: a halve
# would wait too). The workstation's mark goes into that session, whose
# start and marks are kept.
lock_hold
(
	lock_wait || exit 1
	git bisect start c200 c1 >/dev/null 2>&1
	git bisect good c100 >/dev/null 2>&1
	lock_release
) &
other=$!
ui_run <<'SCRIPT'
key b
SCRIPT
lock_alive "$other" && kill "$other"	# the workstation never waited
wait "$other"
is "$?" 0 "a start elsewhere: the workstation's key waited for the lock"
lock_release
is "$ui_rc" 0 "a start elsewhere: the workstation marks"
is "$(git rev-parse -q --verify "refs/bisect/good-$(sha c100)")" "$(sha c100)" \
	"a start elsewhere: its marks are kept"
is "$(grep -c '^git bisect start ' .git/BISECT_LOG)" 1 \
	"a start elsewhere: its start is the only one in the log"
is "$(git rev-parse -q --verify refs/bisect/bad)" "$(sha c200)" \
	"a start elsewhere: the workstation's mark is in it"
halve reset >/dev/null 2>&1

done_testing
