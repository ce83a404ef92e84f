# tests/lib/repo.sh: builds the git repositories the CLI tests bisect, with
# fixed identities and dates so that every run (and every machine) makes the
# same commits with the same ids. Source it after tap.sh.
#
#   repo_new [DIR]               empty repository (branch main), cd into it
#   repo_commit SUBJECT [FILE [CONTENT]]   one commit, next fixed date
#   repo_linear N [K] [DIR]      commits c1..cN (tags c1..cN, each changes f);
#                                with K, the file BUG exists from cK on
#   repo_kernel_like [combine] [DIR]
#                                mainline with merges of topic branches; a
#                                topic commit adds BUG (or, with "combine",
#                                the merge itself does); tags v1 and v2
#   repo_c_project               a C project built with make (gcc -MMD, each
#                                compile appended to cc.log): four objects,
#                                three including common.h; c1..c40 (tags,
#                                c0 the first), common.h changed at c24, BUG
#                                from c31, other commits touch notes.txt
#   repo_random_dag SEED N [DIR] random DAG with merges (criss-cross and
#                                octopus allowed); file bug from a random
#                                culprit on; tags root and tip
#   is_bad REV                   the oracle: REV contains the bug file
#   write_oracle PATH            a test script for `run` that exits 1 when
#                                the bug file is in the work tree, 0 if not,
#                                and appends HEAD to PATH.count each call
#   oracle_count PATH            how many times that script ran
#   sha REV / subject REV        full commit id / subject of REV
#   bisect_state                 a snapshot of every bisect file and ref
#   status_of KEY                the value(s) of KEY in status --porcelain
#   agree_with_git DESC LINE...  runs `git bisect LINE` for each LINE, then
#                                (after git bisect reset) `halve LINE`, and
#                                checks each step answers as git's did
#                                (a LINE "!CMD" runs CMD in both, unchecked)
#   mark_until_done TOOL...      marks the commit under test good or bad by
#                                is_bad with TOOL ("halve" or "git bisect")
#                                until nothing is left to test; prints each
#                                step's answer, keeps the last raw output in
#                                $TEST_DIR/.last-out
#   found_in TEXT [TERM]         the sha of "<sha> is the first TERM commit"
#   listed_in TEXT               the 40-hex lines of TEXT, sorted (the
#                                candidates when only skipped ones are left)
#   halve ARGS...                the binary under test ($HALVE)
#
# The generators leave REPO_CULPRIT (the first bad commit, full sha) and
# REPO_BUG_FILE set. It must not: read the user's git configuration, depend
# on the wall clock, or use any randomness but its own seeded generator.

# Never run anywhere but in tap.sh's private directory: these helpers make
# commits, check out, reset --hard and delete files.
case ${TEST_DIR:-} in
/*) ;;
*)
	echo "Bail out! repo.sh needs tap.sh sourced first (no TEST_DIR)"
	exit 99
	;;
esac
case $(pwd -P) in
"$TEST_DIR" | "$TEST_DIR"/*) ;;
*)
	echo "Bail out! repo.sh must start inside $TEST_DIR"
	exit 99
	;;
esac

# Isolation from whoever runs the tests.
HOME=$TEST_DIR
XDG_CONFIG_HOME=$TEST_DIR/.config
GIT_CONFIG_NOSYSTEM=1
GIT_CEILING_DIRECTORIES=$(dirname "$TEST_DIR")
GIT_AUTHOR_NAME='A U Thor'
GIT_AUTHOR_EMAIL=author@example.com
GIT_COMMITTER_NAME='C O Mitter'
GIT_COMMITTER_EMAIL=committer@example.com
GIT_PAGER=cat
PAGER=cat
LC_ALL=C
TZ=UTC
export HOME XDG_CONFIG_HOME GIT_CONFIG_NOSYSTEM GIT_CEILING_DIRECTORIES \
	GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
	GIT_PAGER PAGER LC_ALL TZ
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CONFIG GIT_CONFIG_GLOBAL \
	GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_NAMESPACE LANG LANGUAGE \
	NO_COLOR
git config --global user.name "$GIT_AUTHOR_NAME"
git config --global user.email "$GIT_AUTHOR_EMAIL"
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git config --global core.autocrlf false
git config --global gc.auto 0

if [ -z "${HALVE:-}" ]; then
	if [ -n "${HALVE_BUILDDIR:-}" ] && [ -x "$HALVE_BUILDDIR/halve" ]; then
		HALVE=$HALVE_BUILDDIR/halve
	else
		bail_out "HALVE is not set (run through make check, or set HALVE=/path/to/halve)"
	fi
fi
case $HALVE in
/*) ;;
*) HALVE=$(cd "$(dirname "$HALVE")" && pwd -P)/$(basename "$HALVE") ;;
esac
export HALVE
[ -x "$HALVE" ] || bail_out "no halve binary at $HALVE (build it first)"

halve() {
	"$HALVE" "$@"
}

# Every commit gets the next minute after a fixed epoch (2006-01-02).
repo_time=1136214240
repo_tick() {
	repo_time=$((repo_time + 60))
	GIT_AUTHOR_DATE="@$repo_time +0000"
	GIT_COMMITTER_DATE="@$repo_time +0000"
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}

repo_new() {
	case $(pwd -P) in
	"$TEST_DIR" | "$TEST_DIR"/*) ;;
	*) bail_out "refusing to create a repository outside $TEST_DIR" ;;
	esac
	git init -q -b main "${1:-repo}" || bail_out "git init failed"
	cd "${1:-repo}" || bail_out "cannot enter ${1:-repo}"
	REPO_DIR=$(pwd -P)
	REPO_CULPRIT=
	REPO_BUG_FILE=BUG
}

repo_commit() {
	repo_tick
	printf '%s\n' "${3:-$1}" >"${2:-f}"
	git add -- "${2:-f}" &&
	git commit -q -m "$1" || bail_out "commit $1 failed"
}

sha() {
	git rev-parse --verify -q "$1^{commit}"
}

subject() {
	git log -1 --format=%s "$1"
}

repo_c_project() {
	repo_new
	printf 'prog\n*.o\n*.d\ncc.log\nobjs/\n' >.gitignore
	printf '#define ANSWER 1\n' >common.h
	for f in a b c; do
		printf '#include "common.h"\nint %s(void) { return ANSWER; }\n' $f >$f.c
	done
	printf 'int a(void), b(void), c(void);\nint main(void) { return a() + b() + c() - 3; }\n' >main.c
	printf '%s\n' 'OBJS = a.o b.o c.o main.o' 'prog: $(OBJS)' \
		'	$(CC) -o $@ $(OBJS)' '%.o: %.c' '	@echo $@ >>cc.log' \
		'	$(CC) -MMD -c -o $@ $<' '-include $(OBJS:.o=.d)' >Makefile
	git add -A && repo_commit "c0" && git tag c0
	for i in $(seq 1 40); do
		case $i in
		24) printf '#define ANSWER 1 /* %s */\n' $i >common.h ;;
		31) echo bug >BUG ;;
		*) echo "$i" >notes.txt ;;
		esac
		git add -A && repo_commit "c$i" && git tag "c$i"
	done
	REPO_CULPRIT=$(git rev-parse c31)
	REPO_BUG_FILE=BUG
}

repo_linear() {
	repo_new "${3:-repo}"
	i=1
	while [ "$i" -le "$1" ]; do
		if [ -n "${2:-}" ] && [ "$i" -eq "$2" ]; then
			echo "introduced by c$i" >BUG
			git add BUG
		fi
		repo_commit "c$i"
		git tag "c$i"
		i=$((i + 1))
	done
	if [ -n "${2:-}" ]; then
		REPO_CULPRIT=$(sha "c$2")
	fi
}

# One topic branch forked at $1 with $2 commits "NAME1".."NAMEk"; the commit
# numbered $3 (if any) adds BUG. Leaves HEAD on main.
repo_topic() {
	git checkout -q -b "topic-$1" "$2"
	k=1
	while [ "$k" -le "$3" ]; do
		if [ "$k" = "${4:-}" ]; then
			echo "introduced by $1$k" >BUG
			git add BUG
		fi
		repo_commit "$1$k: work on $1" "$1.txt" "$1$k"
		k=$((k + 1))
	done
	git checkout -q main
}

repo_merge() {
	repo_tick
	git merge -q --no-ff --no-edit -m "Merge branch 'topic-$1'" "topic-$1" ||
		bail_out "merge of topic-$1 failed"
}

# The seed story in miniature: v1, then three topic branches merged into
# mainline between ordinary mainline commits, then v2. The bug comes with
# topic b (commit b3 of b1..b5), merged by KL_MERGE; a first-parent
# bisection of v1..v2 ends on KL_MERGE, and a descent into it on b3.
# With "combine", no topic commit is bad: the merge itself adds BUG, so the
# bug exists only where both sides meet.
repo_kernel_like() {
	kl_mode=${1:-}
	repo_new "${2:-repo}"
	repo_commit "m1: mainline" f m1
	repo_commit "m2: mainline" f m2
	git tag v1
	repo_topic a v1 3
	if [ "$kl_mode" = combine ]; then
		repo_topic b v1 5
	else
		repo_topic b v1 5 3
	fi
	repo_commit "m3: mainline" f m3
	repo_merge a
	repo_topic c HEAD 2
	repo_commit "m4: mainline" f m4
	if [ "$kl_mode" = combine ]; then
		repo_tick
		git merge -q --no-ff --no-commit topic-b 2>/dev/null
		echo "only where a and b meet" >BUG
		git add BUG
		git commit -q -m "Merge branch 'topic-b'" || bail_out "evil merge failed"
	else
		repo_merge b
	fi
	KL_MERGE=$(sha HEAD)
	repo_commit "m5: mainline" f m5
	repo_merge c
	repo_commit "m6: mainline" f m6
	git tag v2
	KL_V1=$(sha v1)
	KL_V2=$(sha v2)
	if [ "$kl_mode" = combine ]; then
		REPO_CULPRIT=$KL_MERGE
		KL_CULPRIT=
	else
		KL_CULPRIT=$(sha topic-b~2)
		REPO_CULPRIT=$KL_CULPRIT
	fi
}

# A random history written straight through git fast-import (hundreds of
# commits in a fraction of a second). Commit i's parents are earlier
# commits, so the numbering is a topological order; up to four branches
# live at once, merges may take any older commit (criss-cross merges and,
# rarely, octopus merges happen), and the last commit merges every live
# branch so that everything is an ancestor of tip. The culprit is a random
# non-root commit; the file bug exists in it and in all its descendants.
repo_random_dag() {
	repo_new "${3:-repo}"
	REPO_BUG_FILE=bug
	awk -v seed="$1" -v n="$2" -v base="$repo_time" \
	    -v culpritfile="$TEST_DIR/.dag-culprit" '
	function rnd(k) {
		st = (st * 16807) % 2147483647
		return st % k
	}
	function blob(path, text) {
		printf "M 100644 inline %s\ndata %d\n%s\n", path, length(text) + 1, text
	}
	BEGIN {
		st = seed % 2147483646 + 1
		for (w = 0; w < 8; w++)
			rnd(2)
		ntips = 0
		for (i = 1; i <= n; i++) {
			np[i] = 0
			if (i == 1) {
				tip[++ntips] = 1
				continue
			}
			if (i == n) {
				for (t = 1; t <= ntips; t++)
					par[i, ++np[i]] = tip[t]
				continue
			}
			r = rnd(100)
			t = rnd(ntips) + 1
			if (r < 15 && ntips < 4) {
				# a new branch forks off a recent commit
				back = i - 1 < 12 ? i - 1 : 12
				par[i, ++np[i]] = i - 1 - rnd(back)
				tip[++ntips] = i
			} else if (r < 45) {
				# a merge into branch t
				par[i, ++np[i]] = tip[t]
				u = 0
				if (ntips > 1 && rnd(100) < 70) {
					u = rnd(ntips - 1) + 1
					if (u >= t)
						u++
					p2 = tip[u]
				} else {
					p2 = rnd(i - 1) + 1
					if (p2 == tip[t])
						p2 = 0
				}
				if (p2)
					par[i, ++np[i]] = p2
				if (p2 && rnd(100) < 8) {
					p3 = rnd(i - 1) + 1
					if (p3 != tip[t] && p3 != p2)
						par[i, ++np[i]] = p3
				}
				tip[t] = i
				# the merged branch lives on half the time:
				# later merges back make criss-crosses
				if (u && rnd(2)) {
					tip[u] = tip[ntips]
					ntips--
				}
			} else {
				par[i, ++np[i]] = tip[t]
				tip[t] = i
			}
		}
		culprit = rnd(n - 1) + 2
		print culprit > culpritfile
		for (i = 1; i <= n; i++) {
			bad[i] = (i == culprit)
			for (j = 1; j <= np[i]; j++)
				if (bad[par[i, j]])
					bad[i] = 1
			when = base + 60 * i
			printf "commit refs/heads/main\nmark :%d\n", i
			printf "author A U Thor <author@example.com> %d +0000\n", when
			printf "committer C O Mitter <committer@example.com> %d +0000\n", when
			printf "data %d\nn%d\n", length("n" i) + 1, i
			for (j = 1; j <= np[i]; j++)
				printf "%s :%d\n", j == 1 ? "from" : "merge", par[i, j]
			printf "deleteall\n"
			blob("f", "n" i)
			if (bad[i])
				blob("bug", "from n" culprit)
		}
		printf "reset refs/tags/root\nfrom :1\n\n"
		printf "reset refs/tags/tip\nfrom :%d\n\n", n
	}' | git fast-import --quiet --export-marks="$TEST_DIR/.dag-marks" ||
		bail_out "fast-import failed"
	git reset -q --hard main || bail_out "checkout of the random DAG failed"
	repo_time=$((repo_time + 60 * $2))
	REPO_CULPRIT=$(awk -v m=":$(cat "$TEST_DIR/.dag-culprit")" \
		'$1 == m { print $2 }' "$TEST_DIR/.dag-marks")
}

is_bad() {
	git cat-file -e "$1:$REPO_BUG_FILE" 2>/dev/null
}

write_oracle() {
	cat >"$1" <<EOF
#!/bin/sh
# test script for bisect run: the bug is the file $REPO_BUG_FILE
git rev-parse HEAD >>"$1.count"
test -e $REPO_BUG_FILE && exit 1
exit 0
EOF
	chmod +x "$1"
	: >"$1.count"
}

oracle_count() {
	wc -l <"$1.count" | tr -d ' '
}

# Everything a bisect session consists of, so that "nothing was written"
# can be checked: HEAD, the bisect files (with checksums), refs/bisect/*,
# and halve's own directory.
bisect_state() {
	bs_gd=$(git rev-parse --git-dir) || return 1
	echo "HEAD $(git symbolic-ref -q HEAD || git rev-parse HEAD)"
	for bs_f in "$bs_gd"/BISECT_* "$bs_gd"/packed-refs; do
		[ -e "$bs_f" ] && echo "$(basename "$bs_f") $(cksum <"$bs_f")"
	done
	git for-each-ref refs/bisect
	# .git/halve/lock and running.lock are locks: empty files a change
	# or a run creates, holding no state
	if [ -d "$bs_gd/halve" ]; then
		find "$bs_gd/halve" -type f ! -name lock ! -name running.lock |
			sort | while read -r bs_f; do
			echo "$bs_f $(cksum <"$bs_f")"
		done
	fi
	git status --porcelain
}

status_of() {
	halve status --porcelain 2>/dev/null |
		awk -v k="$1" '$1 == k { sub(/^[^ ]+ ?/, ""); print }'
}

# What a step answered, in a form both tools should agree on exactly: the
# output (only its first line when a first bad commit is announced, since
# the summary after it is free-form; git's closing "We cannot bisect
# more!" left out and the candidate list sorted when only skipped commits
# remain), the exit status, and where HEAD went when a commit was
# announced for testing.
answer_of() {
	if grep -Eq '^[0-9a-f]{40} is the first [^ ]+ commit$' "$1"; then
		grep -E '^[0-9a-f]{40} is the first [^ ]+ commit$' "$1"
	elif grep -q "^There are only 'skip'ped commits left to test" "$1"; then
		grep -Ev '^([0-9a-f]{40}|We cannot bisect more!)$' "$1"
		grep -E '^[0-9a-f]{40}$' "$1" | sort
	else
		# git 2.39 says "waiting for good commit(s), bad commit known"
		# even after `new`: the terms in these lines are not compared.
		sed -E '/^status: /{s/\bold\b/good/g; s/\bnew\b/bad/g;}' "$1"
	fi
	echo "exit $2"
	if grep -Eq '^\[[0-9a-f]{40}\] ' "$1"; then
		echo "HEAD $(git rev-parse HEAD)"
		echo "BISECT_HEAD $(git rev-parse -q --verify BISECT_HEAD)"
	fi
}

agree_with_git() {
	awg_desc=$1
	shift
	awg_n=0
	for awg_line; do
		awg_n=$((awg_n + 1))
		case $awg_line in
		!*) eval "${awg_line#!}" >/dev/null 2>&1; continue ;;
		esac
		if eval "git bisect $awg_line" >"$TEST_DIR/.awg-out" 2>/dev/null; then
			awg_rc=0
		else
			awg_rc=$?
		fi
		answer_of "$TEST_DIR/.awg-out" "$awg_rc" >"$TEST_DIR/.awg-git.$awg_n"
	done
	git bisect reset >/dev/null 2>&1
	awg_n=0
	for awg_line; do
		awg_n=$((awg_n + 1))
		case $awg_line in
		!*) eval "${awg_line#!}" >/dev/null 2>&1; continue ;;
		esac
		if eval "halve $awg_line" >"$TEST_DIR/.awg-out" 2>"$TEST_DIR/.awg-err"; then
			awg_rc=0
		else
			awg_rc=$?
		fi
		awg_failed=$tap_failed
		is "$(answer_of "$TEST_DIR/.awg-out" "$awg_rc")" \
			"$(cat "$TEST_DIR/.awg-git.$awg_n")" \
			"$awg_desc: halve $awg_line answers as git bisect $awg_line"
		if [ "$tap_failed" != "$awg_failed" ]; then
			tap_show "halve's stderr" "$TEST_DIR/.awg-err"
		fi
	done
}

found_in() {
	printf '%s\n' "$1" |
		sed -n "s/^\([0-9a-f]\{40\}\) is the first ${2:-bad} commit\$/\1/p"
}

listed_in() {
	printf '%s\n' "$1" | grep -E '^[0-9a-f]{40}$' | sort
}

mark_until_done() {
	mud_steps=0
	while [ "$mud_steps" -lt 64 ]; do
		mud_steps=$((mud_steps + 1))
		mud_cur=$(git rev-parse -q --verify BISECT_HEAD || git rev-parse HEAD)
		if is_bad "$mud_cur"; then
			mud_mark=${BAD_TERM:-bad}
		else
			mud_mark=${GOOD_TERM:-good}
		fi
		if "$@" "$mud_mark" "$mud_cur" >"$TEST_DIR/.last-out" 2>/dev/null; then
			mud_rc=0
		else
			mud_rc=$?
		fi
		echo "$mud_mark $mud_cur"
		answer_of "$TEST_DIR/.last-out" "$mud_rc"
		grep -Eq '^\[[0-9a-f]{40}\] ' "$TEST_DIR/.last-out" || break
	done
}
