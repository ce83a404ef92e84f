#!/bin/sh
# bench/run-linear.sh: a whole `run CMD` on a linear history, `git bisect
# run` against `halve run` (issue 8, Speed, item 1).
#
# A 10,000-commit linear history (each commit changes one file; written
# through git fast-import, no commit-graph) is bisected whole, `start bad
# good` then `run true` (every commit good: the answer is the tip), once
# with a fresh clone (halve has not yet written its commit-graph cache:
# what a user meets first; a fresh clone each time) and in the same
# repository again (the cache written), N times each. It reports, for each
# tool, the median wall and CPU time of `run` alone and of start + run,
# and halve/git. Target: halve's run takes at most half of git's. Never
# run by `make check`.
#
# usage: bench/run-linear.sh [--runs N] [--commits N]
set -u
. "$(dirname "$0")/lib.sh"

runs=5
commits=10000
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--commits) commits=$2; shift ;;
	-h|--help) print_help; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done
HALVE_BIN=$(find_halve)
[ -n "$HALVE_BIN" ] || die "no halve (set HALVE or HALVE_BUILDDIR)"

# A linear history of $commits commits, tagged good (the root) and bad.
linear_repo() {
	_dir=$BENCH_REPOS/linear-$commits
	if [ -f "$_dir/.git/bench-linear" ]; then
		printf '%s\n' "$_dir"
		return
	fi
	rm -rf "$_dir"
	git init -q -b main "$_dir" || die "git init failed"
	awk -v n="$commits" 'BEGIN {
		for (i = 1; i <= n; i++) {
			printf "commit refs/heads/main\nmark :%d\n", i
			printf "committer A <a@example.com> %d +0000\n", 1136214240 + 60 * i
			printf "data %d\nc%d\n", length("c" i), i
			if (i > 1) printf "from :%d\n", i - 1
			printf "M 644 inline f\ndata %d\n%d\n\n", length(i "") + 1, i
		}
	}' | git -C "$_dir" fast-import --quiet || die "fast-import failed"
	git -C "$_dir" checkout -q main
	git -C "$_dir" tag good "main~$((commits - 1))"
	git -C "$_dir" tag bad main
	: >"$_dir/.git/bench-linear"
	printf '%s\n' "$_dir"
}

# one TOOL REPO: start then run true; sets s_wall s_cpu r_wall r_cpu.
one() {
	end_bisect "$2"
	if [ "$1" = git ]; then
		timed "$2" git bisect start bad good
		s_wall=$t_wall s_cpu=$t_cpu
		timed "$2" git bisect run true
	else
		timed "$2" "$HALVE_BIN" start bad good
		s_wall=$t_wall s_cpu=$t_cpu
		timed "$2" "$HALVE_BIN" run true
	fi
	_rc=$?
	r_wall=$t_wall r_cpu=$t_cpu
	if [ "$_rc" -ne 0 ] || ! grep -q 'is the first bad commit' "$BENCH_REPOS/.out"; then
		die "$1 failed ($_rc): $(tail -n 1 "$BENCH_REPOS/.err")"
	fi
	end_bisect "$2"
}

sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a + b }'; }
ratio() { awk -v g="$1" -v h="$2" 'BEGIN { if (g > 0) printf "%.2f", h / g; else print "-" }'; }

say "run-linear.sh: $(machine)"
repo=$(linear_repo) || exit 1
fresh=$BENCH_REPOS/linear-$commits-fresh

printf '| case | tool | run: wall (CPU) | start + run: wall (CPU) | halve/git run wall (CPU) |\n'
printf '|---|---|---:|---:|---:|\n'
for case in first later; do
	for tool in git halve; do
		rw='' rc='' tw='' tc=''
		i=0
		n=$runs
		while [ "$i" -lt "$n" ]; do
			if [ "$case" = first ]; then
				rm -rf "$fresh"
				git clone -q --no-local "$repo" "$fresh" || die "clone failed"
				one "$tool" "$fresh"
			else
				one "$tool" "$repo"
			fi
			rw="$rw $r_wall" rc="$rc $r_cpu"
			tw="$tw $(sum "$s_wall" "$r_wall")" tc="$tc $(sum "$s_cpu" "$r_cpu")"
			i=$((i + 1))
		done
		# shellcheck disable=SC2086
		mrw=$(median $rw) mrc=$(median $rc) mtw=$(median $tw) mtc=$(median $tc)
		if [ "$tool" = git ]; then
			gw=$mrw gc=$mrc
			r='-'
		else
			r="$(ratio "$gw" "$mrw") ($(ratio "$gc" "$mrc"))"
		fi
		printf '| %s | %s | %s s (%s s) | %s s (%s s) | %s |\n' "$case" "$tool" \
			"$mrw" "$mrc" "$mtw" "$mtc" "$r"
	done
done
rm -rf "$fresh"
