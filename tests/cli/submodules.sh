# tests/cli/submodules.sh: a bisection across commits that add, move and
# remove a populated submodule leaves it as `git bisect` does: its work
# tree, its .git (embedded or absorbed), its commits never pushed and its
# uncommitted changes survive every step; the index and `git status` say
# what they say under git; a dirty submodule blocks nothing.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

# Local submodule URLs are refused by default since git 2.38.1.
git config --global protocol.file.allow always

# The submodule's own history: l1, l2.
repo_new lib
repo_commit l1 lib.c
git tag l1
repo_commit l2 lib.c
git tag l2
cd "$TEST_DIR" || bail_out "cd"
lib1=$(git -C lib rev-parse l1)
lib2=$(git -C lib rev-parse l2)

# Points the gitlink sub at $1 (adding .gitmodules), or removes it with "".
set_sub() {
	if [ -n "$1" ]; then
		git config -f .gitmodules submodule.sub.path sub
		git config -f .gitmodules submodule.sub.url ../lib
		git add .gitmodules
		git update-index --add --cacheinfo "160000,$1,sub"
	else
		git rm -q --cached sub
		git rm -q .gitmodules
	fi
}

# The project: sub appears at c3 (l1), moves to l2 at c5, goes at c7, comes
# back at c9 (l1), moves to l2 at c12; BUG appears at c11.
repo_new origin
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
	case $i in
	3 | 9) set_sub "$lib1" ;;
	5 | 12) set_sub "$lib2" ;;
	7) set_sub "" ;;
	11) echo "introduced by c11" >BUG && git add BUG ;;
	esac
	repo_commit "c$i"
	git tag "c$i"
done
REPO_CULPRIT=$(sha c11)
cd "$TEST_DIR" || bail_out "cd"

# A user's clone at the tip, the submodule populated ($1: "absorbed" by
# `git submodule update`, or "embedded", cloned by hand with its own .git
# directory), with a commit never pushed, a changed file and an untracked
# one in it; or "clean": embedded, its unpushed commit on a branch of its
# own, and the submodule exactly at the commit the project records (the
# case libgit2 deletes outright).
user_clone() {
	git clone -q origin "$2" || bail_out "clone"
	(
		cd "$2" || exit 1
		if [ "$1" = absorbed ]; then
			git submodule -q update --init 2>/dev/null
		else
			git clone -q ../lib sub && git -C sub checkout -q l2
		fi
		cd sub || exit 1
		[ "$1" = clean ] && git checkout -q -b wip
		repo_commit unpushed local.c
		git rev-parse HEAD >"$TEST_DIR/$2.unpushed"
		if [ "$1" = clean ]; then
			git checkout -q l2
		else
			echo changed >lib.c
			echo scratch >notes
		fi
	) || bail_out "populating the submodule ($1)"
}

# Everything about the work tree a checkout could change.
tree_state() {
	echo "status: $(git status --porcelain | tr '\n' ' ')"
	echo "index: $(git ls-files -s sub | tr '\n' ' ')"
	if [ -e sub/.git ]; then
		echo "sub HEAD: $(git -C sub rev-parse HEAD)"
		echo "sub status: $(git -C sub status --porcelain | tr '\n' ' ')"
	fi
	echo "sub files: $(ls -A sub 2>/dev/null | tr '\n' ' ')"
}

# Marks by the oracle until the answer, TOOL being "git bisect" or
# "halve"; after each step, the answer and the work tree.
walk() {
	w_n=0
	while [ "$w_n" -lt 20 ]; do
		w_n=$((w_n + 1))
		if is_bad HEAD; then w_mark=bad; else w_mark=good; fi
		if "$@" "$w_mark" >"$TEST_DIR/.w-out" 2>/dev/null; then
			w_rc=0
		else
			w_rc=$?
		fi
		echo "step $w_n: $w_mark"
		answer_of "$TEST_DIR/.w-out" "$w_rc"
		tree_state
		grep -Eq '^\[[0-9a-f]{40}\] ' "$TEST_DIR/.w-out" || break
	done
}

# One whole session: start, every mark, reset; session_from GOOD TOOL...
# starts from another good commit than c1.
session() {
	session_from c1 "$@"
}
session_from() {
	sf_good=$1
	shift
	"$@" start c14 "$sf_good" >"$TEST_DIR/.w-out" 2>/dev/null
	answer_of "$TEST_DIR/.w-out" $?
	tree_state
	walk "$@"
	"$@" reset >/dev/null 2>&1
	echo "reset: $(git symbolic-ref -q HEAD) $(git rev-parse HEAD)"
	tree_state
}

for kind in absorbed embedded clean; do
	user_clone "$kind" "git-$kind"
	user_clone "$kind" "halve-$kind"
	want=$(cd "git-$kind" && session git bisect)
	got=$(cd "halve-$kind" && session halve)
	is "$got" "$want" "$kind submodule: every step leaves the tree as git bisect does"
	like "$got" "is the first bad commit" "$kind submodule: the bisection ends"
	like "$got" "^status: .*\?\? sub/" "$kind submodule: a commit without it shows it untracked"
	ok -m "$kind submodule: its unpushed commit survives" \
		git -C "halve-$kind/sub" cat-file -e "$(cat "halve-$kind.unpushed")"
	[ "$kind" = clean ] && continue
	is "$(cat "halve-$kind/sub/lib.c" "halve-$kind/sub/notes" 2>&1)" \
		"changed
scratch" "$kind submodule: its uncommitted changes survive"
done

# With submodule.recurse, git's checkout moves a submodule to the commit
# the project records, and so does halve (in the range where it stays).
cd "$TEST_DIR" || bail_out "cd"
for side in git halve; do
	git clone -q origin "recurse-$side" &&
		git -C "recurse-$side" submodule -q update --init 2>/dev/null &&
		git -C "recurse-$side" config submodule.recurse true ||
		bail_out "recurse clone"
done
want=$(cd recurse-git && session_from c9 git bisect)
got=$(cd recurse-halve && session_from c9 halve)
is "$got" "$want" "submodule.recurse: every step moves the submodule as git's does"
like "$got" "sub HEAD: $lib1" "submodule.recurse: the submodule went to l1 on the way"

# A change in the submodule that the move would overwrite stops both.
for side in git halve; do
	echo dirty >"recurse-$side/sub/lib.c"
done
want=$(cd recurse-git && git bisect start c14 c9 >/dev/null 2>&1
	echo "exit $?"; git rev-parse HEAD; tree_state)
got=$(cd recurse-halve && halve start c14 c9 >/dev/null 2>&1
	echo "exit $?"; git rev-parse HEAD; tree_state)
is "$got" "$want" "submodule.recurse: a change in the way refuses the step, as git's does"
like "$got" "sub status:  M lib.c" "and the change is still there"

# Each transition on its own, from the populated submodule at the tip:
# removed (c8), moved back (c10: l1), absent from the start (c2).
user_clone absorbed step-git
user_clone absorbed step-halve
for rev in c8 c10 c2 c13; do
	want=$(cd step-git && git bisect start c14 "$rev" >/dev/null 2>&1 &&
		git bisect reset "$rev" >/dev/null 2>&1; tree_state)
	got=$(cd step-halve && halve start c14 "$rev" >/dev/null 2>&1 &&
		halve reset "$rev" >/dev/null 2>&1; tree_state)
	is "$got" "$want" "reset to $rev: the submodule as git leaves it"
done

# A submodule whose path becomes a plain file (at tc1, after c14): git
# would delete its work tree; halve refuses that checkout and deletes
# nothing.
cd "$TEST_DIR" || bail_out "cd"
user_clone embedded typechange
cd typechange || bail_out "cd"
git rm -q --cached sub .gitmodules
git update-index --add --cacheinfo "100644,$(echo file | git hash-object -w --stdin),sub"
repo_commit tc1 other
repo_commit tc2 other && git tag tc2
git reset -q c14
capture halve start tc2 c14
like "$err" "submodule work tree sub" "a submodule about to become a file is named"
ok -m "and its unpushed commit is still there" git -C sub cat-file -e "$(cat ../typechange.unpushed)"
is "$(git rev-parse HEAD)" "$(sha c14)" "and HEAD has not moved"

done_testing
