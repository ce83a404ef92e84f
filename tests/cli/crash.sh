# tests/cli/crash.sh: a halve killed at any write leaves a session that
# works. A whole bisection (start, marks, descend, undo, ascend, replay,
# reset; a weighed run --confidence) is run with tests/halve-faulty, and every command is killed at
# each of its writes in turn (HALVE_FAULT_AT=N, src/fault.h). After each
# kill, on copies of what it left:
#   - `halve status` reads it, and `git bisect log` too; after it no
#     temporary file of the killed write is left;
#   - the marks are those from before the command or from after it, and
#     BISECT_LOG names every mark the refs hold;
#   - `halve run --descend` goes on to the culprit;
#   - `halve reset` clears everything and puts HEAD back on the branch
#     the bisection started from, and `git bisect reset` ends it too.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

FAULTY=${HALVE_BUILDDIR:-$(dirname "$HALVE")}/tests/halve-faulty
[ -x "$FAULTY" ] || bail_out "no $FAULTY (make check builds it)"

repo_kernel_like
write_oracle "$TEST_DIR/oracle"
cd "$TEST_DIR" || bail_out "no test dir"
mv repo base

# The marks as refs, with their names: what "before" and "after" compare.
marks_of() {
	git -C "$1" for-each-ref --format='%(refname) %(objectname)' refs/bisect
	cat "$1/.git/halve/stack" 2>/dev/null
}

# A mark of several commits (a skip range) writes them one by one, as
# git does: with $PARTIAL_OK set, a kill may leave some of them, those of
# before and a part of those it adds.
marks_between() {
	[ -n "${PARTIAL_OK:-}" ] || return 1
	printf '%s\n' "$1" | sort >marks.got
	[ -z "$(sort marks.before | comm -23 - marks.got)" ] &&
		[ -z "$(sort marks.after | comm -13 - marks.got)" ]
}

# Every ref mark has its "# term: [sha]" line in BISECT_LOG.
log_names_refs() {
	git -C "$1" for-each-ref --format='%(refname:short) %(objectname)' \
		refs/bisect | sed 's,^bisect/,,; s,-[0-9a-f]* , ,' |
	while read -r ln_term ln_sha; do
		grep -q "^# $ln_term: \[$ln_sha\]" "$1/.git/BISECT_LOG" || {
			echo "no log line for $ln_term $ln_sha"
			return 1
		}
	done
}

# Nothing of a session is left, and HEAD is on the branch it started on
# (or one of $HEADS_OK, the names or commits a step may leave it at).
HEADS_OK=refs/heads/main
cleared() {
	cl_head=$(git -C "$1" symbolic-ref -q HEAD || git -C "$1" rev-parse HEAD)
	case " $HEADS_OK " in
	*" $cl_head "*) ;;
	*) return 1 ;;
	esac
		[ -z "$(ls "$1/.git" | grep '^BISECT_')" ] &&
		[ -z "$(git -C "$1" for-each-ref refs/bisect)" ] &&
		[ -z "$(ls "$1/.git/halve" 2>/dev/null | grep -v '^lock$' |
			grep -v '^steps$')" ]
}

# What the killed command left, looked at on copies.
check_crash() {
	cc_what=$1
	cp -a crash look
	if ! (cd look && halve status --porcelain >"$TEST_DIR/st" 2>&1); then
		grep -q '^state none' "$TEST_DIR/st" ||
			fail "$cc_what: status reads the state" || return
	fi
	if grep -q '^state error' "$TEST_DIR/st"; then
		fail "$cc_what: status reads the state"
		tap_show status "$TEST_DIR/st"
		rm -rf look
		return
	fi
	find look/.git -name '*.tmp.*' >"$TEST_DIR/tmps"
	if [ -s "$TEST_DIR/tmps" ]; then
		fail "$cc_what: no temporary file outlives the next halve"
		tap_show "left" "$TEST_DIR/tmps"
		rm -rf look
		return
	fi
	cc_marks=$(marks_of look)
	if [ "$cc_marks" != "$(cat marks.before)" ] &&
		[ "$cc_marks" != "$(cat marks.after)" ] &&
		! marks_between "$cc_marks"; then
		fail "$cc_what: the marks are from before or after"
		printf '%s\n' "$cc_marks" >"$TEST_DIR/got"
		tap_show "got" "$TEST_DIR/got"
		tap_show "before" marks.before
		tap_show "after" marks.after
		rm -rf look
		return
	fi
	if [ -e look/.git/BISECT_START ]; then
		(cd look && git bisect log >/dev/null 2>&1) ||
			{ fail "$cc_what: git bisect log reads it"; rm -rf look; return; }
		log_names_refs look >"$TEST_DIR/lnr" ||
			{ fail "$cc_what: the log names every mark"; rm -rf look; return; }
		if ! (cd look && halve run --descend "$TEST_DIR/oracle" \
			>"$TEST_DIR/run" 2>&1) ||
			! grep -q "^$KL_CULPRIT is the first [a-z]* commit" \
				"$TEST_DIR/run"; then
			fail "$cc_what: run goes on to the culprit"
			tap_show run "$TEST_DIR/run"
			rm -rf look
			return
		fi
	fi
	rm -rf look
	cp -a crash look
	(cd look && halve reset >/dev/null 2>&1) && cleared look ||
		{ fail "$cc_what: halve reset clears it"; rm -rf look; return; }
	rm -rf look
	(cd crash && git bisect reset >/dev/null 2>&1)
	[ ! -e crash/.git/BISECT_START ] ||
		{ fail "$cc_what: git bisect reset ends it"; return; }
	pass "$cc_what: status, the marks, git's log, run, both resets"
}

# Runs one command of the bisection killed at every write in turn, then
# for real; "base" holds the state before it and after it.
step() {
	cp -a base clean
	(cd clean && halve "$@" >/dev/null 2>&1)
	marks_of clean >marks.after
	marks_of base >marks.before
	n=1
	while [ "$n" -lt 200 ]; do
		rm -rf crash
		cp -a base crash
		(cd crash && HALVE_FAULT_AT=$n "$FAULTY" "$@" >/dev/null 2>&1)
		st_rc=$?
		[ "$st_rc" -eq 137 ] || break
		check_crash "$* killed at write $n"
		n=$((n + 1))
	done
	ok -m "$*: finished once the writes ran out ($((n - 1)) kills)" \
		test "$n" -gt 1 -a "$n" -lt 200
	rm -rf base crash
	mv clean base
}

B2=$(git -C base rev-parse topic-b)
B1=$(git -C base rev-parse topic-b~4)
M4=$(git -C base rev-parse "$KL_MERGE^1")

M3=$(git -C base rev-parse "$KL_MERGE^1^1^1")

step start --first-parent v2 v1
step skip "$M3"
step good "$M4"
step bad "$KL_MERGE"
cp base/.git/BISECT_LOG "$TEST_DIR/outer.log"
step descend
step bad "$B2"
step undo
step good "$B1"
step ascend
step replay "$TEST_DIR/outer.log"
step reset

# A second, short one: a session git began, with custom terms and a
# pathspec; a skip range, and its undo (a replay of git's log with its
# custom terms); a reset to a commit.
git -C base bisect start --term-old=fast --term-new=slow --first-parent \
	v2 v1 -- f BUG >/dev/null 2>&1
git -C base bisect fast "$M4" >/dev/null 2>&1
PARTIAL_OK=1
step skip v1..topic-a~1
PARTIAL_OK=
step undo
HEADS_OK="refs/heads/main $M4"
step reset "$M4"

# A third: results weighed (--confidence), kept as log lines; the run
# that ends it states the answer to git, refs and lines, all or nothing.
step start v2 v1
step run --confidence 0.9 "$TEST_DIR/oracle"
step reset

done_testing
