# tests/cli/git-edge.sh: repositories at git's edges, each bisected by git
# and by halve: refs packed in the middle of a session, a start from a
# detached HEAD (and the reset back to it), subjects that are not UTF-8
# (an `encoding` header, raw bytes), a subject of several lines, escape
# sequences and a 10 MB subject. BISECT_LOG holds git's bytes; `halve
# log`, `view`, `status` and the workstation's graph stay sane: nothing
# obeyed by the terminal, subjects cut where a screen could not show them.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

# --- packed refs in the middle of a session -------------------------------
repo_linear 40 23 packed
agree_with_git "pack-refs mid-session" "start c40 c1" "good c10" \
	"!git pack-refs --all" "bad c30" "good c20" "!git pack-refs --all" \
	"bad c25" "good c22" "bad c24" "bad"
capture halve log
git_log=$(cat .git/BISECT_LOG)
is "$out" "$git_log" "halve log after pack-refs is BISECT_LOG"
capture git bisect log
is "$out" "$git_log" "and git bisect log agrees"
capture halve reset
is "$rc" 0 "reset after pack-refs works"
is "$(git symbolic-ref -q HEAD)" refs/heads/main "and returns to the packed branch"
is "$(git for-each-ref refs/bisect)" "" "and leaves no bisect ref, loose or packed"
cd "$TEST_DIR" || bail_out "cd"

# --- a start from a detached HEAD -----------------------------------------
repo_linear 20 11 detached
git checkout -q --detach c7
agree_with_git "detached start" "start c20 c1" "good" "bad" "!git pack-refs --all" "good"
halve_start=$(cat .git/BISECT_START)
git bisect reset >/dev/null 2>&1
git checkout -q --detach c7
git bisect start c20 c1 >/dev/null 2>&1
is "$halve_start" "$(cat .git/BISECT_START)" "BISECT_START holds the detached commit as git writes it"
git bisect reset >/dev/null 2>&1
git checkout -q --detach c7
halve start c20 c1 >/dev/null 2>&1
halve good >/dev/null 2>&1
capture halve reset
is "$rc" 0 "reset from a detached start"
fails -m "returns to a detached HEAD" git symbolic-ref -q HEAD
is "$(git rev-parse HEAD)" "$(sha c7)" "at the commit the session started from"
cd "$TEST_DIR" || bail_out "cd"

# --- subjects -------------------------------------------------------------
# A commit written as it is given (raw message bytes, optional headers).
raw_commit() {
	repo_tick
	echo "$1" >f && git add f
	{
		printf 'tree %s\nparent %s\n' "$(git write-tree)" "$(git rev-parse HEAD)"
		printf 'author A U Thor <author@example.com> %s +0000\n' "$repo_time"
		printf 'committer C O Mitter <committer@example.com> %s +0000\n' "$repo_time"
		printf '%b' "$2"
	} | git hash-object -t commit -w --stdin >"$TEST_DIR/.raw" ||
		bail_out "hash-object"
	git update-ref refs/heads/main "$(cat "$TEST_DIR/.raw")"
	git reset -q --hard
}

repo_new subjects
repo_commit c1 && git tag c1
raw_commit latin 'encoding ISO-8859-1\n\ncaf\351 latin1\n\nbody\n' && git tag latin
raw_commit raw '\nraw \377\376 bytes\n' && git tag raw
raw_commit para '\n  \nfirst line  \nsecond line\n\nbody\n' && git tag para
raw_commit esc '\nesc \033[2J\033]0;title\007 \302\233c1 clear\n' && git tag esc
repo_tick
head -c 10000000 /dev/zero | tr '\0' x >"$TEST_DIR/huge.msg"
echo huge >f && git add f && git commit -q -F "$TEST_DIR/huge.msg" && git tag huge
repo_commit c7 && git tag c7
echo "introduced by c8" >BUG && git add BUG && repo_commit c8 && git tag c8
REPO_CULPRIT=$(sha c8)

# Marks naming each odd commit once; $1 names the output, the rest is the
# tool.
marks() {
	m_out=$TEST_DIR/$1.out
	shift
	"$@" start c8 c1 >"$m_out" 2>&1
	for m in "good latin" "good raw" "good para" "good esc" "good huge" \
		"good c7"; do
		# shellcheck disable=SC2086
		"$@" $m >>"$m_out" 2>&1
	done
}
marks git git bisect
cp .git/BISECT_LOG "$TEST_DIR/git.log"
git bisect reset >/dev/null 2>&1
marks halve halve
ok -m "BISECT_LOG holds git's bytes for every subject" \
	cmp .git/BISECT_LOG "$TEST_DIR/git.log"
# (up to the end of the culprit's message: git's diffstat is not halve's)
upto_message() {
	awk '/^ [^ ]/ { exit } { print }' "$1" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}
upto_message "$TEST_DIR/git.out" >"$TEST_DIR/git.cut"
upto_message "$TEST_DIR/halve.out" >"$TEST_DIR/halve.cut"
ok -m "the marks print what git bisect prints" \
	cmp "$TEST_DIR/git.cut" "$TEST_DIR/halve.cut"
halve reset >/dev/null 2>&1
git bisect start latin c1 >"$TEST_DIR/git.out" 2>&1
git bisect reset >/dev/null 2>&1
halve start latin c1 >"$TEST_DIR/halve.out" 2>&1
upto_message "$TEST_DIR/git.out" >"$TEST_DIR/git.cut"
upto_message "$TEST_DIR/halve.out" >"$TEST_DIR/halve.cut"
ok -m "an ISO-8859-1 culprit is summed up in UTF-8, as git shows it" \
	cmp "$TEST_DIR/git.cut" "$TEST_DIR/halve.cut"
halve reset >/dev/null 2>&1
marks halve halve
halve log >"$TEST_DIR/halve-log.out" 2>&1
ok -m "halve log is BISECT_LOG, byte for byte" \
	cmp "$TEST_DIR/halve-log.out" .git/BISECT_LOG
like "$(grep -a 'first line' .git/BISECT_LOG)" "] first line second line\$" \
	"a subject of several lines is joined as git's %s joins it"
halve reset >/dev/null 2>&1

halve start c8 c1 >/dev/null 2>&1
capture halve view
is "$rc" 0 "view shows the odd subjects"
ok -m "view writes no escape, C1 control or invalid UTF-8" \
	sh -c '! printf "%s" "$1" | LC_ALL=C grep -aq "$(printf "[\001-\010\013-\037\177]\\|\302[\200-\237]\\|\377")"' - "$out"
like "$out" ' café latin1$' "an ISO-8859-1 subject is shown in UTF-8, as git log shows it"
like "$out" ' raw <ff><fe> bytes$' "bytes that are no UTF-8 are shown as <xx>"
like "$out" ' esc \^\[\[2J\^\[\]0;title\^G <9b>c1 clear$' "escapes and C1 controls are shown, not sent"
ok -m "the 10 MB subject is cut in view" test "${#out}" -lt 4096
capture halve status
is "$rc" 0 "status with a 10 MB subject in the range"
capture halve status --porcelain
is "$rc" 0 "status --porcelain too"
for m in latin raw esc huge; do halve good "$m" >/dev/null 2>&1; done
capture halve status
ok -m "status lists the marks with no escape, C1 control or invalid UTF-8" \
	sh -c '! printf "%s" "$1" | LC_ALL=C grep -aq "$(printf "[\001-\010\013-\037\177]\\|\302[\200-\237]\\|\377")"' - "$out"
ok -m "status cuts the 10 MB subject" test "${#out}" -lt 8192

# The workstation's graph with all of them on the screen.
ui_run -s 100x14 <<'SCRIPT'
key G
key g
dump subjects
key /
type xxxq
key Enter
dump searched
SCRIPT
is "$ui_rc" 0 "the workstation draws the odd subjects"
like "$(ui_line subjects 'latin1')" 'café latin1' "it shows the ISO-8859-1 subject in UTF-8"
like "$(ui_line subjects 'bytes')" 'raw <ff><fe> bytes' "and raw bytes as <xx>"
like "$(ui_line subjects 'xxxxxxxxxx')" 'x{20}' "and the 10 MB subject, clipped"
is "$(cat "$UI_DUMPS/termlog")" "" "the terminal saw no title and no bell"
is "$(ui_dump final)" "$(ui_dump searched)" "nor any clear: it shows what the workstation drew"

done_testing
