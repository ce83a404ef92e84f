#!/bin/sh
# bench/flaky.sh: bisection under a flaky test, simulated (issue 9, G):
# every cell of the goal table through bench/flaky (see bench/flaky.c for
# what it simulates), printed as one markdown table for doc/PERFORMANCE.md.
#
# Cells: a linear and a merge-heavy history, N in {1000, 15000}, q (a bad
# commit passes) in {0.1, 0.3, 0.5}, f (a good commit fails) in {0, 0.01},
# then a flake-only range (nothing bad, good commits fail 5% of the time,
# BAD failed once). The rates are never given to halve. Columns: git bisect
# run's right answers; the repeat-k (k runs at most, bad at j failures)
# with the fewest runs that is right 99% of the time, its right answers
# and runs; halve's right answers, its "no culprit" answers (right in the
# flake-only range), the mean probability it claimed when it
# stopped, its mean and largest runs, the commits it tested, the searches
# cut at 2000 runs and those past the run budget `halve run` gives by
# default (it would stop them with a best guess); the information bound and halve's runs over the bound
# and over repeat-k's. Goal at P = 0.99: halve right >= 99% in every cell,
# runs <= 1.15x the bound and <= 0.6x repeat-k's; the flake-only range
# "no culprit" >= 99%. Never run by `make check`.
#
# usage: bench/flaky.sh [--trials N] [--small-trials N] [--p P] [--seed S]
#                       [--only linear|merges|flake] [--no-header]
#   --trials: per cell with N = 15000 (default 500); --small-trials: with
#   N = 1000 (default 2000); --only: one history's rows (to run them on
#   several cores and join them). FLAKY: the bench/flaky binary (default
#   HALVE_BUILDDIR/bench/flaky, else ./bench/flaky).
set -u
. "$(dirname "$0")/lib.sh"

trials=500
small=2000
p=0.99
seed=1
only=
header=1
while [ $# -gt 0 ]; do
	case $1 in
	--trials) trials=$2; shift ;;
	--small-trials) small=$2; shift ;;
	--p) p=$2; shift ;;
	--seed) seed=$2; shift ;;
	--only) only=$2; shift ;;
	--no-header) header=0 ;;
	-h|--help) print_help; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done
FLAKY=${FLAKY:-${HALVE_BUILDDIR:-.}/bench/flaky}
[ -x "$FLAKY" ] || die "no $FLAKY (make bench/flaky)"

wanted() { [ -z "$only" ] || [ "$only" = "$1" ]; }

if [ "$header" = 1 ]; then
	echo "| history | N | q | f | trials | git right | repeat k/j | repeat right | repeat runs | halve right | no culprit | claimed | halve runs | max runs | commits | cut | over budget | bound | halve/bound | halve/repeat |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
fi
for shape in linear merges; do
	wanted "$shape" || continue
	for n in 1000 15000; do
		t=$trials
		[ "$n" -lt 15000 ] && t=$small
		for f in 0 0.01; do
			for q in 0.1 0.3 0.5; do
				"$FLAKY" "$shape" "$n" "$q" "$f" "$t" "$p" "$seed" ||
					die "flaky $shape $n $q $f failed"
			done
		done
	done
done
for n in 1000 15000; do
	wanted flake || break
	t=$trials
	[ "$n" -lt 15000 ] && t=$small
	"$FLAKY" flake "$n" 0 0.05 "$t" "$p" "$seed" ||
		die "flaky flake $n failed"
done
