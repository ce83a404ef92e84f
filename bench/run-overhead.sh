#!/bin/sh
# bench/run-overhead.sh: what a bisection costs beyond the test itself,
# `git bisect run` against `halve run` (issue 3, Speed, item 1).
#
# On a generated 10,000-commit history (1,000 merges) it times a whole
# bisection, `start bad good` then `run CMD`, with a test that costs
# nothing: `true` (every commit good: the answer is the tip) and `false`
# (every commit bad: the answer is just above good). It reports the median
# wall time of the runs, the steps taken (from BISECT_LOG, which both write
# in git's format) and the time per step. Target: halve's whole bisection
# takes at most half of git's. Never run by `make check`.
#
# usage: bench/run-overhead.sh [--runs N] [--commits N] [--merges M] [--no-git] [--no-halve]
set -u
. "$(dirname "$0")/lib.sh"

runs=5
commits=10000
merges=1000
do_git=1
do_halve=1
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--commits) commits=$2; shift ;;
	--merges) merges=$2; shift ;;
	--no-git) do_git=0 ;;
	--no-halve) do_halve=0 ;;
	-h|--help) print_help; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

HALVE_BIN=
[ "$do_halve" = 1 ] && HALVE_BIN=$(find_halve)

# bisection TOOL REPO CMD: one whole bisection; sets wall, cpu and steps
# (or wall=- and why on failure).
bisection() {
	end_bisect "$2"
	if [ "$1" = git ]; then
		timed "$2" sh -c 'git bisect start bad good && git bisect run "$1"' sh "$3"
	else
		timed "$2" sh -c '"$0" start bad good && "$0" run "$1"' "$HALVE_BIN" "$3"
	fi
	_rc=$?
	wall=$t_wall cpu=$t_cpu
	steps=$(grep -c '^git bisect \(good\|bad\|skip\|old\|new\) ' "$2/.git/BISECT_LOG" 2>/dev/null)
	if [ "$_rc" -ne 0 ] || ! grep -q 'is the first bad commit' "$BENCH_REPOS/.out"; then
		wall=- why="$1 failed ($_rc): $(cat "$BENCH_REPOS/.out" "$BENCH_REPOS/.err" | tail -n 1)"
	fi
	end_bisect "$2"
}

say "run-overhead.sh: $(machine)"
say "run-overhead.sh: generating (once)"
repo=$(make_repo "run-$commits-$merges" --commits "$commits" --merges "$merges" \
	--commit-graph) || exit 1

printf '| test | tool | whole bisection: wall (CPU) | steps | per step: wall (CPU) | halve/git wall (CPU) |\n'
printf '|---|---|---:|---:|---:|---:|\n'
per_step() {
	awk -v t="$1" -v n="$2" 'BEGIN { if (n > 0 && t != "-") printf "%.1f ms", 1000 * t / n; else printf "-" }'
}
ratio() {
	awk -v g="$1" -v h="$2" 'BEGIN { if (g + 0 > 0 && h != "-") printf "%.2f", h / g; else printf "-" }'
}
for cmd in true false; do
	git_wall='' git_cpu=''
	for tool in git halve; do
		[ "$tool" = git ] && [ "$do_git" = 0 ] && continue
		if [ "$tool" = halve ] && [ -z "$HALVE_BIN" ]; then
			printf '| `%s` | halve | - | - | - | - |\n' "$cmd"
			continue
		fi
		walls='' cpus='' steps='' why=''
		i=0
		while [ "$i" -lt "$runs" ]; do
			bisection "$tool" "$repo" "$cmd"
			[ "$wall" = - ] && break
			walls="$walls $wall" cpus="$cpus $cpu"
			i=$((i + 1))
		done
		if [ -n "$why" ]; then
			printf '| `%s` | %s | %s | - | - | - |\n' "$cmd" "$tool" "$why"
			continue
		fi
		# shellcheck disable=SC2086
		mw=$(median $walls) mc=$(median $cpus)
		r="-"
		if [ "$tool" = git ]; then
			git_wall=$mw git_cpu=$mc
		elif [ -n "$git_wall" ]; then
			r="$(ratio "$git_wall" "$mw") ($(ratio "$git_cpu" "$mc"))"
		fi
		printf '| `%s` | %s | %s s (%s s) | %s | %s (%s) | %s |\n' "$cmd" "$tool" "$mw" "$mc" \
			"$steps" "$(per_step "$mw" "$steps")" "$(per_step "$mc" "$steps")" "$r"
	done
done
