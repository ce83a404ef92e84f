#!/bin/sh
# bench/skips-compare.sh: two choices of the next commit compared on the
# skip benchmark's histories, trial by trial, in process (bench/skips-replay).
#
# OLD and NEW are skips-replay binaries linked with two versions of
# src/bisect.c (build one, copy it aside, change bisect.c, build again).
# For every row of bench/skips.sh (30% untestable in clusters of ~20, ~150
# and ~500, culprits among testable commits or anywhere, and the baseline
# with nothing untestable) and every seed, it replays the same trials with
# both and prints the mean tests of each and the mean paired difference
# with its standard error, in all and in the tests that could have been
# saved (leaving out the skipped candidates left at the end, which any
# order of tests has to try: see bench/skips-replay.c). The repositories are skips.sh's, generated on
# first use in $BENCH_REPOS. Per-trial results stay in
# $BENCH_REPOS/compare/. Never run by `make check`; seconds a row.
#
# usage: bench/skips-compare.sh [--trials N] [--seeds "1 2"] [--rows "c150-testable ..."] OLD NEW
set -u
. "$(dirname "$0")/lib.sh"

trials=300
seeds="1 2"
rows="c150-testable c150-any c20-testable c20-any c500-testable c500-any none-testable"
while [ $# -gt 2 ]; do
	case $1 in
	--trials) trials=$2; shift ;;
	--seeds) seeds=$2; shift ;;
	--rows) rows=$2; shift ;;
	-h|--help) print_help; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done
[ $# -eq 2 ] || die "usage: skips-compare.sh [options] OLD NEW"
old=$1 new=$2
out=$BENCH_REPOS/compare
mkdir -p "$out" || exit 1

# repo_for ROW SEED: the history of a row (generated once, as skips.sh does).
repo_for() {
	case $1 in
	none-*) make_repo "skips-15000-none-s$2" --commits 15000 --merges 1000 \
		--seed "$2" --commit-graph ;;
	*) _c=${1%%-*}; _c=${_c#c}
		make_repo "skips-15000-30-c$_c-s$2" --commits 15000 --merges 1000 \
		--seed "$2" --untestable 30 --cluster "$_c" --commit-graph ;;
	esac
}

printf '| row | trials | old | new | new - old (se) | avoidable: new - old (se) |\n'
printf '|---|---:|---:|---:|---:|---:|\n'
for row in $rows; do
	: > "$out/$row.pairs"
	for s in $seeds; do
		repo=$(repo_for "$row" "$s") || exit 1
		"$old" "$repo" "${row#*-}" "$s" 1 "$trials" > "$out/$row-s$s.old" 2>/dev/null
		"$new" "$repo" "${row#*-}" "$s" 1 "$trials" > "$out/$row-s$s.new" 2>/dev/null
		paste "$out/$row-s$s.old" "$out/$row-s$s.new" >> "$out/$row.pairs"
	done
	# Columns: trial tests result left, old then new. Avoidable tests
	# leave out the skipped candidates left at the end (see skips-replay).
	awk -v row="$row" '
		function se(s, s2, n,  m) { m = s / n; return n > 1 ? sqrt((s2 - n * m * m) / (n - 1) / n) : 0 }
		{ n++; o += $2; x += $6; d = $6 - $2; s += d; s2 += d * d
		  a = ($6 - $8) - ($2 - $4); as += a; as2 += a * a }
		END { printf "| %s | %d | %.2f | %.2f | %+.2f (%.2f) | %+.2f (%.2f) |\n", row, n,
			o / n, x / n, s / n, se(s, s2, n), as / n, se(as, as2, n) }' \
		"$out/$row.pairs"
done
