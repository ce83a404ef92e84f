#!/bin/sh
# bench/rebuild-model.sh: the rebuild-cost model (src/rebuild.c) against
# what make really recompiled, on the steps real bisections took.
#
# bench/costaware.sh leaves, for every build of its bisections, a ledger
# line (the commit, the objects make compiled) and, taken just before the
# build, the dependency files of the build directory as the previous
# build left them (LEDGER.deps.K), and the objects compiled (LEDGER.objs.K).
# For each pair of consecutive builds, X then Y, this unpacks X's
# dependency files and, beside them, the sources the diff changes that X
# has (the work tree as halve's model saw it when it chose Y), runs
# bench/rebuild-cost (hv_rebuild_load and
# hv_rebuild_cost) on the files `git diff --name-only X Y` lists, and
# sets the prediction beside make's count. So the pairs are the ones a
# bisection really takes, the midpoint's and the cost-aware choice's, and
# no build is paid twice.
#
# Per pair: predicted, compiled, the difference and what the diff held
# that the model cannot see (a Makefile, which may change GIT-CFLAGS and
# so every object; new .c files; version.o, which git's Makefile rebuilds
# at every commit because GIT-VERSION-FILE changes). Then the summary:
# exact, over, under, within 1, the sums and Pearson's correlation.
# Prints Markdown for doc/PERFORMANCE.md. Never run by `make check`.
#
# REBUILD_COST is the helper (default HALVE_BUILDDIR/bench/rebuild-cost).
#
# usage: bench/rebuild-model.sh [--ledgers DIR] [--pairs] REPO
set -u
. "$(dirname "$0")/lib.sh"

ledgers=$BENCH_REPOS/costaware
pairs=0
while [ $# -gt 0 ]; do
	case $1 in
	--ledgers) ledgers=$2; shift ;;
	--pairs) pairs=1 ;;
	-h|--help) print_help; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
	shift
done
[ $# -eq 1 ] || die "usage: bench/rebuild-model.sh [options] REPO"
repo=$(cd "$1" && pwd) || exit 1
predict=${REBUILD_COST:-}
if [ -z "$predict" ] && [ -n "${HALVE_BUILDDIR:-}" ]; then
	predict=$HALVE_BUILDDIR/bench/rebuild-cost
fi
[ -n "$predict" ] && [ -x "$predict" ] || die "no rebuild-cost (set REBUILD_COST or HALVE_BUILDDIR)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# note X Y OBJS: what the diff holds that the dependency files cannot know.
note() {
	_n=''
	git -C "$repo" diff --name-only "$1" "$2" -- Makefile config.mak.uname GIT-VERSION-GEN |
		grep -q . && _n="$_n Makefile;"
	_a=$(git -C "$repo" diff --name-only --diff-filter=A "$1" "$2" -- '*.c' | wc -l)
	[ "$_a" -gt 0 ] && _n="$_n $_a new .c;"
	[ -f "$3" ] && grep -qx 'version.o' "$3" && _n="$_n version.o;"
	printf '%s' "${_n# }"
}

# One line per pair: "ledger k X Y files predicted compiled status note".
for l in "$ledgers"/ledger-*; do
	case $l in *.deps.*|*.objs.*|*.log|*.run) continue ;; esac
	n=$(wc -l < "$l")
	k=1
	while [ "$k" -lt "$n" ]; do
		x=$(sed -n "${k}p" "$l" | cut -d' ' -f1)
		set -- $(sed -n "$((k + 1))p" "$l")
		y=$1 compiled=$2 status=$4
		k=$((k + 1))
		[ -f "$l.deps.$((k - 1))" ] || continue
		# X's work tree as the build left it, as far as the model looks:
		# the dependency files, and those of the changed sources X has.
		rm -rf "$tmp/b" && mkdir "$tmp/b" || exit 1
		tar xzf "$l.deps.$((k - 1))" -C "$tmp/b" || continue
		git -C "$repo" diff --name-only "$x" "$y" | grep '\.[cSs]$' > "$tmp/src"
		git -C "$repo" ls-tree -r --name-only "$x" | grep -Fx -f "$tmp/src" > "$tmp/have"
		[ -s "$tmp/have" ] && xargs -d '\n' git --literal-pathspecs -C "$repo" archive "$x" -- \
			< "$tmp/have" | tar xf - -C "$tmp/b"
		files=$(git -C "$repo" diff --name-only "$x" "$y" | wc -l)
		pred=$(git -C "$repo" diff --name-only "$x" "$y" | "$predict" "$tmp/b" "$tmp/b") || pred=-
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${l##*/ledger-}" "$k" "$x" "$y" \
			"$files" "$pred" "$compiled" "$status" "$(note "$x" "$y" "$l.objs.$k")"
	done
done > "$tmp/pairs"

if [ "$pairs" = 1 ]; then
	printf '| run | step | X -> Y | files changed | predicted | compiled | compiled - predicted | the diff holds |\n'
	printf '|---|---:|---|---:|---:|---:|---:|---|\n'
	awk -F'\t' '{ printf "| %s | %s | %s -> %s | %s | %s | %s | %+d | %s |\n", $1, $2,
		substr($3, 1, 10), substr($4, 1, 10), $5, $6, $7, $7 - $6, $9 }' "$tmp/pairs"
	printf '\n'
fi
awk -F'\t' '$6 != "-" && $8 == 0 { n++; p = $6; c = $7; d = c - p
		if (d == 0) ex++; else if (d > 0) un++; else ov++
		if (d >= -1 && d <= 1) near++
		if ($9 ~ /Makefile/) mk++
		sp += p; sc += c; spp += p * p; scc += c * c; spc += p * c }
	END {
		r = "-"
		if (n > 1) {
			v = (n * spp - sp * sp) * (n * scc - sc * sc)
			if (v > 0) r = sprintf("%.3f", (n * spc - sp * sc) / sqrt(v))
		}
		printf "| pairs | exact | over (model > make) | under (model < make) | within 1 | predicted, summed | compiled, summed | correlation | pairs with a Makefile change |\n"
		printf "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
		printf "| %d | %d | %d | %d | %d | %d | %d | %s | %d |\n", n, ex, ov, un, near, sp, sc, r, mk
	}' "$tmp/pairs"
