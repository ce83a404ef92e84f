# tests/cli/graph-sources.sh: halve sees the history git sees where it is
# not the one the objects tell: grafts, replace refs (and
# GIT_NO_REPLACE_OBJECTS; core.useReplaceRefs=false, which git bisect
# ignores), a shallow clone's
# boundary, and a commit-graph that core.commitGraph=false tells git to
# ignore. Each repository is built so that the difference changes the
# bisection; `git bisect run` and `halve run` get the same oracle and must
# test the same commits, in the same order, and name the same culprit.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

# same_as_git WHAT START-ARGS...: one bisection by git, one by halve.
same_as_git() {
	sag_what=$1
	shift
	sag_oracle=$TEST_DIR/oracle
	write_oracle "$sag_oracle"
	git bisect start "$@" >/dev/null 2>&1
	sag_git=$(git bisect run "$sag_oracle" 2>/dev/null)
	mv "$sag_oracle.count" "$TEST_DIR/git.count"
	git bisect reset >/dev/null 2>&1
	[ -n "$(found_in "$sag_git")" ] ||
		bail_out "$sag_what: git bisect run found no culprit"

	: >"$sag_oracle.count"
	halve start "$@" >/dev/null 2>"$TEST_DIR/start.err"
	capture halve run "$sag_oracle"
	halve reset >/dev/null 2>&1
	is "$(tr '\n' ' ' <"$sag_oracle.count")" \
		"$(tr '\n' ' ' <"$TEST_DIR/git.count")" \
		"$sag_what: halve tests the commits git tests"
	is "$(found_in "$out") (exit $rc)" "$(found_in "$sag_git") (exit 0)" \
		"$sag_what: halve names git's culprit"
	if [ "$rc" != 0 ]; then
		tap_show "halve start's stderr" "$TEST_DIR/start.err"
		diag "halve run: $err"
	fi
}

# c1..c20 on main, c15 brings the bug; every commit has a commit-graph
# entry, which git stops reading once history is rewritten.
repo_linear 20 15 linear
git commit-graph write --reachable || bail_out "commit-graph write failed"
c5=$(sha c5)
c11=$(sha c11)

# The plain history first, so that each case below is seen to change it.
same_as_git "no rewrite" c20 c1
plain=$(cat "$TEST_DIR/git.count")

# A graft cuts c6..c10 out: c11's parent is c5.
echo "$c11 $c5" >.git/info/grafts
same_as_git "grafts" c20 c1
ok -m "grafts: git's bisection differs from the plain one" \
	test "$(cat "$TEST_DIR/git.count")" != "$plain"
fails -m "grafts: c8 is not tested" grep -q "$(sha c8)" "$TEST_DIR/git.count"
rm .git/info/grafts

# GIT_GRAFT_FILE names another grafts file.
echo "$c11 $c5" >"$TEST_DIR/grafts"
GIT_GRAFT_FILE=$TEST_DIR/grafts
export GIT_GRAFT_FILE
same_as_git "GIT_GRAFT_FILE" c20 c1
unset GIT_GRAFT_FILE

# The same cut by a replace ref: c11 replaced by a commit whose parent is c5.
git replace --graft "$c11" "$c5" || bail_out "git replace failed"
same_as_git "replace refs" c20 c1
ok -m "replace refs: git's bisection differs from the plain one" \
	test "$(cat "$TEST_DIR/git.count")" != "$plain"

# ... and a replace ref is not followed when git is told not to.
GIT_NO_REPLACE_OBJECTS=1
export GIT_NO_REPLACE_OBJECTS
same_as_git "GIT_NO_REPLACE_OBJECTS" c20 c1
is "$(cat "$TEST_DIR/git.count")" "$plain" \
	"GIT_NO_REPLACE_OBJECTS: git bisects the plain history"
unset GIT_NO_REPLACE_OBJECTS
git config core.useReplaceRefs false
# git bisect 2.39.5 never reads core.useReplaceRefs (git log does): it
# bisects the replaced history, and so does halve.
same_as_git "core.useReplaceRefs=false" c20 c1
ok -m "core.useReplaceRefs=false: git bisect still follows the replace ref" \
	test "$(cat "$TEST_DIR/git.count")" != "$plain"
git config --unset core.useReplaceRefs
git replace -d "$c11" >/dev/null || bail_out "git replace -d failed"

# A replaced commit named by an abbreviated id still has its new parents.
git replace --graft "$c11" "$c5" || bail_out "git replace failed"
short=$(git rev-parse --short=10 "$c11")
same_as_git "replace refs, an abbreviated bad" "$short" c1
git replace -d "$c11" >/dev/null

# core.commitGraph=false: git reads the objects even when a commit-graph
# says otherwise. Here the graph gives c11 the parent c5 (a damaged or
# stale file that git's own checks at read time let through).
cg=.git/objects/info/commit-graph
pos=$(git rev-list --all | sort | grep -n "^$c11" | cut -d: -f1)
pos5=$(git rev-list --all | sort | grep -n "^$c5" | cut -d: -f1)
# the CDAT chunk's offset from the table of contents (12-byte entries)
cdat=$(od -An -tx1 -v -j8 -N120 "$cg" | tr -d ' \n' |
	awk '{ for (i = 1; i + 23 <= length($0); i += 24)
		if (substr($0, i, 8) == "43444154") {
			print substr($0, i + 8, 16); exit } }')
[ -n "$cdat" ] || bail_out "no CDAT chunk in $cg"
cdat=$((0x$cdat))
chmod u+w "$cg"
printf "$(printf '\\%03o\\%03o\\%03o\\%03o' 0 0 $(((pos5 - 1) / 256)) $(((pos5 - 1) % 256)))" |
	dd of="$cg" bs=1 seek=$((cdat + (pos - 1) * 36 + 20)) conv=notrunc 2>/dev/null
is "$(git log --format=%p -1 "$c11")" "$(git rev-parse --short "$c5")" \
	"the damaged commit-graph gives c11 the parent c5 (git reads it)"
git config core.commitGraph false
is "$(git log --format=%p -1 "$c11")" "$(git rev-parse --short c10)" \
	"core.commitGraph=false: git reads c11's parent from the object"
same_as_git "core.commitGraph=false" c20 c1
is "$(cat "$TEST_DIR/git.count")" "$plain" \
	"core.commitGraph=false: git bisects the plain history"
git config --unset core.commitGraph

# A shallow clone: the boundary commits have no parents. The bug comes
# with a long topic forked at the root and merged at the top, so the
# range runs past the boundary on both lines of history.
cd "$TEST_DIR"
repo_new deep
repo_commit "m1: root" f m1
git tag root
repo_topic t root 12 9
i=2
while [ "$i" -le 12 ]; do
	repo_commit "m$i: mainline" f "m$i"
	i=$((i + 1))
done
repo_merge t
git tag tip
cd "$TEST_DIR"
git clone -q --no-local --depth 6 deep shallow || bail_out "shallow clone failed"
cd shallow
ok -m "the clone is shallow" test -s .git/shallow
good=$(git rev-parse origin/main~2)
same_as_git "shallow clone" HEAD "$good"
capture halve start HEAD "$good"
is "$rc" 0 "shallow clone: start works past the boundary"
halve reset >/dev/null 2>&1

done_testing
