# tests/cli/range-file.sh: the range kept on disk (.git/halve/range) for
# the next process to cut its range from instead of walking it again.
# Every mark made through it moves the bisection as git's marks move
# git's; a damaged file, one of another range or other options, and one
# written before history was rewritten (a graft) are not used: halve then
# answers as git does. The history is a random DAG of 10,500 commits (the
# file is kept for ranges of 10,000 and more).
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_random_dag 7 10500 dag
range=.git/halve/range
write_oracle "$TEST_DIR/oracle"

# git_pick START-ARGS...: the commit git bisect start checks out.
git_pick() {
	git bisect start "$@" >/dev/null 2>&1 || bail_out "git bisect start $*"
	git rev-parse HEAD
	git bisect reset >/dev/null 2>&1
}

# halve_pick START-ARGS...: the commit halve start names (not checked out).
halve_pick() {
	halve start --no-checkout "$@" 2>/dev/null |
		sed -n 's/^\[\([0-9a-f]\{40\}\)\].*/\1/p'
	halve reset >/dev/null 2>&1
}

git bisect start tip root >/dev/null 2>&1
git_steps=$(mark_until_done git bisect)
git bisect reset >/dev/null 2>&1
plain=$(git_pick tip root)

halve start tip root >/dev/null 2>&1
ok -m "start keeps the range on disk" test -s "$range"
cp "$range" "$TEST_DIR/range.whole"
# each mark is a new process: its range is cut out of the file
halve_steps=$(mark_until_done halve)
is "$halve_steps" "$git_steps" \
	"marks through the file move the bisection as git's, to git's culprit"
halve reset >/dev/null 2>&1
ok -m "reset keeps the file" test -s "$range"
is "$(halve_pick tip root)" "$plain" "a start again takes git's midpoint"

# damaged: halve walks instead, and still answers as git
size=$(wc -c <"$range")
head -c $((size / 2)) "$TEST_DIR/range.whole" >"$range"
is "$(halve_pick tip root)" "$plain" "a truncated file is not used"
# every flag set (every commit untouched by the pathspec) is still a DAG:
# the checksum tells
cp "$TEST_DIR/range.whole" "$range"
n=$(git rev-list --count tip --not root)
printf '%*s' "$n" '' | tr ' ' '\001' |
	dd of="$range" bs=1 seek=$((size - 8 - n)) conv=notrunc 2>/dev/null
is "$(halve_pick tip root)" "$plain" "a file whose flags changed is not used"
printf 'XXXX' | dd of="$range" bs=1 conv=notrunc 2>/dev/null
is "$(halve_pick tip root)" "$plain" "a file with a bad magic is not used"

# another range: the file's bounds are not among the new ones
cp "$TEST_DIR/range.whole" "$range"
mid=$(git rev-list --first-parent tip | sed -n 1000p)
low=$(git rev-list --first-parent tip | sed -n 4000p)
is "$(halve_pick tip "$low")" "$(git_pick tip "$low")" \
	"a range with other bounds is walked: git's midpoint"
is "$(halve_pick "$mid" root)" "$(git_pick "$mid" root)" \
	"a range cut out of the file's: git's midpoint"
# ... or other options
cp "$TEST_DIR/range.whole" "$range"
is "$(halve_pick --first-parent tip root)" "$(git_pick --first-parent tip root)" \
	"--first-parent is not served by a file of the whole range"

# a graft changes the history the file was walked in
cp "$TEST_DIR/range.whole" "$range"
cut=$(git rev-list --first-parent tip | sed -n 2000p)
echo "$cut" >.git/info/grafts
grafted=$(git_pick tip root)
ok -m "the graft moves git's midpoint" test "$grafted" != "$plain"
is "$(halve_pick tip root)" "$grafted" \
	"with a graft the file is not read: git's midpoint"
rm .git/info/grafts

done_testing
