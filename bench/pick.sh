#!/bin/sh
# bench/pick.sh: how long choosing the first midpoint takes, git against halve.
#
# For each preset history (gen-history --preset: 15k commits/1k merges,
# 44k/11k, 1m/71k) it times `git rev-list --bisect bad --not good` (git's
# own choice) and `halve start --no-checkout bad good` (halve loads the
# range and picks), and checks that both chose the same commit. It prints
# one Markdown table row per preset, for doc/PERFORMANCE.md.
#
# git needs many minutes on the 1m preset: its result is cached in the
# repository (.git/bench/git-pick) and reused on later runs; --git-timeout
# caps it and --skip-git leaves it out entirely (the row then says so).
# Never run by `make check`.
#
# usage: bench/pick.sh [--presets "15k 44k 1m"] [--runs N] [--git-timeout SECS]
#                      [--skip-git PRESET]... [--fresh-git] [--no-commit-graph]
set -u
. "$(dirname "$0")/lib.sh"

presets="15k 44k 1m"
runs=5
git_timeout=1500
skip_git=
fresh_git=0
graph=--commit-graph
while [ $# -gt 0 ]; do
	case $1 in
	--presets) presets=$2; shift ;;
	--runs) runs=$2; shift ;;
	--git-timeout) git_timeout=$2; shift ;;
	--skip-git) skip_git="$skip_git $2"; shift ;;
	--fresh-git) fresh_git=1 ;;
	--no-commit-graph) graph= ;;
	-h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

HALVE_BIN=$(find_halve)
if [ -n "$HALVE_BIN" ] && ! halve_has "$HALVE_BIN" start; then
	say "pick.sh: $HALVE_BIN has no 'start' yet: halve's columns stay empty"
	HALVE_BIN=
fi

# time_git REPO PRESET: sets git_secs and git_pick (median of the runs;
# one run, cached, when a run takes over a minute).
time_git() {
	_cache=$1/.git/bench/git-pick
	git_secs=- git_pick= git_note=
	case " $skip_git " in
	*" $2 "*)
		if [ -f "$_cache" ]; then
			read -r git_pick git_secs git_note < "$_cache"
			git_note="cached $git_note"
		else
			git_note="not run (--skip-git)"
		fi
		return ;;
	esac
	if [ "$fresh_git" = 0 ] && [ -f "$_cache" ]; then
		read -r git_pick git_secs git_note < "$_cache"
		git_note="cached $git_note"
		return
	fi
	_times=
	_i=0
	while [ "$_i" -lt "$runs" ]; do
		_s=$(now_ns)
		_out=$(cd "$1" && timeout "$git_timeout" git rev-list --bisect bad --not good)
		_rc=$?
		_e=$(now_ns)
		if [ "$_rc" -ne 0 ]; then
			git_secs=">$git_timeout" git_note="timed out"
			[ "$_rc" -eq 124 ] || git_note="failed ($_rc)"
			return
		fi
		git_pick=$_out
		_t=$(secs "$_s" "$_e")
		_times="$_times $_t"
		_i=$((_i + 1))
		# One run is enough when one run takes a minute: keep it.
		if awk -v t="$_t" 'BEGIN { exit !(t > 60) }'; then
			printf '%s %s %s\n' "$git_pick" "$_t" "$(date +%Y-%m-%d)" > "$_cache"
			break
		fi
	done
	# shellcheck disable=SC2086
	git_secs=$(median $_times)
}

# time_halve REPO: sets halve_secs and halve_pick.
time_halve() {
	halve_secs=- halve_pick= halve_note=
	[ -n "$HALVE_BIN" ] || { halve_note="no halve"; return; }
	_times=
	_i=0
	while [ "$_i" -lt "$runs" ]; do
		end_bisect "$1"
		_s=$(now_ns)
		(cd "$1" && "$HALVE_BIN" start --no-checkout bad good) >/dev/null 2>"$BENCH_REPOS/.halve-err"
		_rc=$?
		_e=$(now_ns)
		if [ "$_rc" -ne 0 ]; then
			halve_note="failed ($_rc): $(head -n 1 "$BENCH_REPOS/.halve-err")"
			end_bisect "$1"
			return
		fi
		halve_pick=$(cat "$1/.git/BISECT_EXPECTED_REV" 2>/dev/null)
		[ -n "$halve_pick" ] || halve_pick=$(cd "$1" && "$HALVE_BIN" status --porcelain |
			sed -n 's/^current //p')
		_times="$_times $(secs "$_s" "$_e")"
		_i=$((_i + 1))
	done
	end_bisect "$1"
	# shellcheck disable=SC2086
	halve_secs=$(median $_times)
}

say "pick.sh: $(machine)"
say "pick.sh: repositories in $BENCH_REPOS${graph:+ (with commit-graph)}"
printf '| history | git rev-list --bisect | halve start | halve/git | same pick | notes |\n'
printf '|---|---:|---:|---:|---|---|\n'
for p in $presets; do
	say "pick.sh: $p: generating (once)"
	repo=$(make_repo "pick-$p${graph:+-cg}" --preset "$p" $graph) || exit 1
	info=$(awk '$1 == "commits" { c = $2 } $1 == "merges" { m = $2 }
		END { printf "%d commits / %d merges", c, m }' "$repo/.git/bench/info")
	say "pick.sh: $p: git"
	end_bisect "$repo"
	time_git "$repo" "$p"
	say "pick.sh: $p: halve"
	time_halve "$repo"
	same=-
	if [ -n "$git_pick" ] && [ -n "$halve_pick" ]; then
		if [ "$git_pick" = "$halve_pick" ]; then
			same=yes
		else
			same="NO: git $(echo "$git_pick" | cut -c1-12), halve $(echo "$halve_pick" | cut -c1-12)"
		fi
	fi
	ratio=$(awk -v g="$git_secs" -v h="$halve_secs" \
		'BEGIN { if (g + 0 > 0 && h != "-") printf "%.3f", h / g; else print "-" }')
	notes=$(printf '%s' "$git_note${git_note:+; }$halve_note" | sed 's/; $//')
	printf '| %s | %s s | %s s | %s | %s | %s |\n' "$info" "$git_secs" "$halve_secs" \
		"$ratio" "$same" "$notes"
done
