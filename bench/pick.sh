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
skip_git=''
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
	-h|--help) print_help; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

HALVE_BIN=$(find_halve)

# time_git REPO PRESET: sets git_wall, git_cpu (medians of the runs; one
# run, cached in the repository, when a run takes over a minute), git_pick.
time_git() {
	_cache=$1/.git/bench/git-pick
	git_wall=- git_cpu=- git_pick='' git_note=''
	case " $skip_git " in
	*" $2 "*)
		if [ -f "$_cache" ]; then
			read -r git_pick git_wall git_cpu git_note < "$_cache"
			git_note="git: one run, $git_note"
		else
			git_note="git not run (--skip-git)"
		fi
		return ;;
	esac
	if [ "$fresh_git" = 0 ] && [ -f "$_cache" ]; then
		read -r git_pick git_wall git_cpu git_note < "$_cache"
		git_note="git: one run, $git_note"
		return
	fi
	_walls='' _cpus=''
	_i=0
	while [ "$_i" -lt "$runs" ]; do
		timed "$1" timeout "$git_timeout" git rev-list --bisect bad --not good
		_rc=$?
		if [ "$_rc" -ne 0 ]; then
			git_wall=">$git_timeout" git_note="git timed out"
			[ "$_rc" -eq 124 ] || git_note="git failed ($_rc)"
			return
		fi
		git_pick=$(cat "$BENCH_REPOS/.out")
		_walls="$_walls $t_wall" _cpus="$_cpus $t_cpu"
		_i=$((_i + 1))
		# One run is enough when one run takes a minute: keep it.
		if awk -v t="$t_wall" 'BEGIN { exit !(t > 60) }'; then
			printf '%s %s %s %s\n' "$git_pick" "$t_wall" "$t_cpu" "$(date +%Y-%m-%d)" > "$_cache"
			git_note="git: one run"
			break
		fi
	done
	# shellcheck disable=SC2086
	git_wall=$(median $_walls) git_cpu=$(median $_cpus)
}

# time_halve REPO: sets halve_wall, halve_cpu (medians) and halve_pick.
time_halve() {
	halve_wall=- halve_cpu=- halve_pick='' halve_note=''
	[ -n "$HALVE_BIN" ] || { halve_note="no halve"; return; }
	_walls='' _cpus=''
	_i=0
	while [ "$_i" -lt "$runs" ]; do
		end_bisect "$1"
		if ! timed "$1" "$HALVE_BIN" start --no-checkout bad good; then
			halve_note="halve failed: $(head -n 1 "$BENCH_REPOS/.err")"
			end_bisect "$1"
			return
		fi
		halve_pick=$(cat "$1/.git/BISECT_EXPECTED_REV" 2>/dev/null)
		[ -n "$halve_pick" ] || halve_pick=$(cd "$1" && "$HALVE_BIN" status --porcelain |
			sed -n 's/^current //p')
		_walls="$_walls $t_wall" _cpus="$_cpus $t_cpu"
		_i=$((_i + 1))
	done
	end_bisect "$1"
	# shellcheck disable=SC2086
	halve_wall=$(median $_walls) halve_cpu=$(median $_cpus)
}

say "pick.sh: $(machine)"
say "pick.sh: repositories in $BENCH_REPOS${graph:+ (with commit-graph)}"
printf '| history | git rev-list --bisect: wall (CPU) | halve start: wall (CPU) | halve/git wall (CPU) | same pick | notes |\n'
printf '|---|---:|---:|---:|---|---|\n'
ratio() {
	awk -v g="$1" -v h="$2" 'BEGIN {
		if (g + 0 <= 0 || h == "-" || h == "") printf "-"
		else if (h + 0 > 0 && h / g < 0.01) printf "1/%d", g / h
		else printf "%.3f", h / g }'
}
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
	notes=$(printf '%s; %s' "$git_note" "$halve_note" | sed 's/^; //; s/; $//')
	printf '| %s | %s s (%s s) | %s s (%s s) | %s (%s) | %s | %s |\n' "$info" \
		"$git_wall" "$git_cpu" "$halve_wall" "$halve_cpu" \
		"$(ratio "$git_wall" "$halve_wall")" "$(ratio "$git_cpu" "$halve_cpu")" "$same" "$notes"
done
