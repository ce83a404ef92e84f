#!/bin/sh
# bench/skips.sh: how many tests a bisection needs when clusters of commits
# cannot be tested, `git bisect run` against `halve run`.
#
# For each cluster size it generates (once) a 15,000-commit kernel-shaped
# history where 30% of good..bad is untestable in runs of about that many
# consecutive commits (gen-history --untestable/--cluster), plus a history
# with nothing untestable as the baseline. Each trial picks a culprit
# (deterministically from the trial number; "testable": among the testable
# commits, "any": among all of good..bad, untestable ones too, the case
# where any bisector must try a whole cluster before it can give up)
# and lets both tools bisect with the same oracle (bench/oracle.sh: 125
# when untestable, else bad iff the culprit is an ancestor). It counts the
# oracle's invocations, checks the answer, and prints one Markdown row per
# cluster size with the mean, median and range of tests for each tool.
# Per-trial results go to $BENCH_REPOS/skips-trials.tsv. Never run by `make check`.
#
# usage: bench/skips.sh [--trials N] [--clusters "0 20 150 500"] [--fraction PCT]
#                       [--commits N] [--merges M] [--seed S] [--culprits "testable any"]
#                       [--no-git] [--no-halve]
set -u
. "$(dirname "$0")/lib.sh"

trials=20
clusters="0 20 150 500"
fraction=30
commits=15000
merges=1000
seed=1
culprits="testable any"
do_git=1
do_halve=1
while [ $# -gt 0 ]; do
	case $1 in
	--trials) trials=$2; shift ;;
	--clusters) clusters=$2; shift ;;
	--fraction) fraction=$2; shift ;;
	--commits) commits=$2; shift ;;
	--merges) merges=$2; shift ;;
	--seed) seed=$2; shift ;;
	--culprits) culprits=$2; shift ;;
	--no-git) do_git=0 ;;
	--no-halve) do_halve=0 ;;
	-h|--help) print_help; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

HALVE_BIN=
[ "$do_halve" = 1 ] && HALVE_BIN=$(find_halve)
ORACLE=$BENCH_SRCDIR/oracle.sh
ORACLE_DIR=$BENCH_REPOS/.oracle
export ORACLE_DIR
mkdir -p "$ORACLE_DIR"
TSV=$BENCH_REPOS/skips-trials.tsv

# bisect_with TOOL REPO: one bisection with the oracle; sets tests and result
# (ok, ambiguous(N) when the culprit is among N skipped candidates, or WRONG).
bisect_with() {
	_repo=$2
	end_bisect "$_repo"
	: > "$ORACLE_DIR/tests"
	if [ "$1" = git ]; then
		(cd "$_repo" && git bisect start bad good && git bisect run "$ORACLE") \
			> "$ORACLE_DIR/out" 2>&1
	else
		(cd "$_repo" && "$HALVE_BIN" start bad good && "$HALVE_BIN" run "$ORACLE") \
			> "$ORACLE_DIR/out" 2>&1
	fi
	tests=$(wc -l < "$ORACLE_DIR/tests" | tr -d ' ')
	_culprit=$(cat "$ORACLE_DIR/culprit")
	_found=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit.*/\1/p' "$ORACLE_DIR/out" | head -n 1)
	if [ "$_found" = "$_culprit" ]; then
		result=ok
	elif [ -z "$_found" ] && grep -q "^$_culprit" "$ORACLE_DIR/out"; then
		# Only skipped commits left: the answer lists every candidate.
		result="ambiguous($(grep -c '^[0-9a-f]\{40\}' "$ORACLE_DIR/out"))"
	else
		result=WRONG
		cp "$ORACLE_DIR/out" "$BENCH_REPOS/skips-wrong-$1.out"
	fi
	end_bisect "$_repo"
}

# stats FILE: "mean, median M (min-max)" of the numbers in FILE.
stats() {
	[ -s "$1" ] || { printf -- -; return; }
	sort -n "$1" | awk '{ v[NR] = $1; s += $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.1f, median %g (%d-%d)", s / NR, m, v[1], v[NR] }'
}

answers() {
	awk '{ if ($1 == "ok") ok++; else if ($1 == "WRONG") bad++; else amb++ }
		END { if (!NR) { print "-"; exit }
			printf "%d found", ok; if (amb) printf ", %d ambiguous", amb
			if (bad) printf ", %d WRONG", bad; printf "\n" }' "$1"
}

# run_config CLUSTER MODE: all trials on one history; prints one row.
run_config() {
	_c=$1 _mode=$2
	if [ "$_c" = 0 ]; then
		say "skips.sh: baseline (nothing untestable): generating (once)"
		repo=$(make_repo "skips-$commits-none-s$seed" --commits "$commits" \
			--merges "$merges" --seed "$seed" --commit-graph) || exit 1
		label="none (baseline)"
	else
		say "skips.sh: $fraction% untestable in clusters of ~$_c: generating (once)"
		repo=$(make_repo "skips-$commits-$fraction-c$_c-s$seed" --commits "$commits" \
			--merges "$merges" --seed "$seed" --untestable "$fraction" \
			--cluster "$_c" --commit-graph) || exit 1
		label="$fraction% in clusters of ~$_c"
	fi
	cp "$repo/.git/bench/untestable" "$ORACLE_DIR/untestable"
	case $_mode in
	testable) awk '$3 != "b" && $4 == 0 { print $1 }' "$repo/.git/bench/commits" ;;
	any) awk '$3 != "b" { print $1 }' "$repo/.git/bench/commits" ;;
	*) die "--culprits: testable or any" ;;
	esac > "$ORACLE_DIR/culprits"
	_n=$(wc -l < "$ORACLE_DIR/culprits")
	for _tool in git halve; do
		: > "$ORACLE_DIR/$_tool.tests"
		: > "$ORACLE_DIR/$_tool.results"
	done
	_t=1
	while [ "$_t" -le "$trials" ]; do
		# A fixed culprit per (seed, trial), the same for both tools: a
		# 32-bit integer hash, so that trials do not fall into step with
		# the period of the clusters.
		_h=$(( (seed * 40503 + _t * 2654435761) & 4294967295 ))
		_h=$(( ((_h ^ (_h >> 16)) * 73244475) & 4294967295 ))
		_h=$(( ((_h ^ (_h >> 16)) * 73244475) & 4294967295 ))
		_k=$(( (_h ^ (_h >> 16)) % _n + 1 ))
		sed -n "${_k}p" "$ORACLE_DIR/culprits" > "$ORACLE_DIR/culprit"
		for _tool in git halve; do
			[ "$_tool" = git ] && [ "$do_git" = 0 ] && continue
			[ "$_tool" = halve ] && [ -z "$HALVE_BIN" ] && continue
			bisect_with "$_tool" "$repo"
			printf '%s\n' "$tests" >> "$ORACLE_DIR/$_tool.tests"
			printf '%s\n' "$result" >> "$ORACLE_DIR/$_tool.results"
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$_mode" "$_c" "$_t" \
				"$(cat "$ORACLE_DIR/culprit")" "$_tool" "$tests" "$result" >> "$TSV"
			say "skips.sh: $_mode culprits, cluster $_c, trial $_t, $_tool: $tests tests, $result"
		done
		_t=$((_t + 1))
	done
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$_mode" "$trials" \
		"$(stats "$ORACLE_DIR/git.tests")" "$(stats "$ORACLE_DIR/halve.tests")" \
		"$(answers "$ORACLE_DIR/git.results")" "$(answers "$ORACLE_DIR/halve.results")"
}

say "skips.sh: $(machine)"
printf 'culprits\tcluster\ttrial\tculprit\ttool\ttests\tresult\n' > "$TSV"
printf '| untestable | culprits | trials | git bisect run: tests | halve run: tests | git answers | halve answers |\n'
printf '|---|---|---:|---:|---:|---|---|\n'
baseline_done=0
for mode in $culprits; do
	for c in $clusters; do
		# With nothing untestable every culprit is testable: one baseline row.
		if [ "$c" = 0 ]; then
			[ "$baseline_done" = 1 ] && continue
			baseline_done=1
		fi
		run_config "$c" "$mode"
	done
done
