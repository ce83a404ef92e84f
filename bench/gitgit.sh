#!/bin/sh
# bench/gitgit.sh: a real history, not a generated one: the first midpoint
# over git.git's whole history (82,000 commits, 21,000 merges) with no
# commit-graph, `git rev-list --bisect` against `halve start
# --no-checkout`, in the same run, on the same repository; whether both
# chose the same commit, and halve's time as a fraction of git's.
#
# The range is BAD (default HEAD) down to GOOD (default the oldest root
# commit, git's first: the other roots, gitk's and git-gui's, stay in the
# range). halve runs twice per run: "first", its commit-graph cache
# (.git/halve/commit-graph) removed before, so it reads every commit from
# objects as git does; and "cached", the cache its first run left. git
# runs --git-runs times (default 1: about a minute of CPU each).
#
# REPO is a git.git clone without a commit-graph (a bare one will do: the
# script writes bisect state into it and ends the bisection afterwards,
# leaving HEAD as it was). With the fetch tool of the search library:
#   git clone -q --bare --shared /work/.mirror/git+git/repo /var/tmp/gitgit.git
# A repository with a commit-graph of git's is refused: git would use it.
# Prints Markdown table rows for doc/PERFORMANCE.md. Never run by
# `make check`.
#
# usage: bench/gitgit.sh [--runs N] [--git-runs N] [--bad REV] [--good REV] REPO
set -u
. "$(dirname "$0")/lib.sh"

runs=5
git_runs=1
bad=HEAD
good=''
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--git-runs) git_runs=$2; shift ;;
	--bad) bad=$2; shift ;;
	--good) good=$2; shift ;;
	-h|--help) print_help; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
	shift
done
[ $# -eq 1 ] || die "usage: bench/gitgit.sh [options] REPO"
repo=$(cd "$1" && pwd) || exit 1
HALVE_BIN=$(find_halve)
[ -n "$HALVE_BIN" ] || die "no halve (set HALVE or HALVE_BUILDDIR)"
gitdir=$(git -C "$repo" rev-parse --absolute-git-dir) || exit 1
common=$(cd "$gitdir" && cd "$(git rev-parse --git-common-dir)" && pwd)
[ -e "$common/objects/info/commit-graph" ] || [ -e "$common/objects/info/commit-graphs" ] &&
	die "$repo has a commit-graph: git would read it (remove it, or use a fresh clone)"
bad=$(git -C "$repo" rev-parse --verify "$bad^{commit}") || exit 1
[ -n "$good" ] || good=$(git -C "$repo" rev-list --max-parents=0 "$bad" | tail -n 1)
good=$(git -C "$repo" rev-parse --verify "$good^{commit}") || exit 1
cache=$common/halve/commit-graph
head=$(git -C "$repo" symbolic-ref -q HEAD || git -C "$repo" rev-parse HEAD)

say "gitgit.sh: $(machine)"
info=$(printf '%s commits / %s merges' "$(git -C "$repo" rev-list --count "$bad" "^$good")" \
	"$(git -C "$repo" rev-list --count --merges "$bad" "^$good")")
say "gitgit.sh: $repo, $info"

halve_end() {
	(cd "$repo" && "$HALVE_BIN" reset) >/dev/null 2>&1
	git -C "$repo" symbolic-ref HEAD "$head" 2>/dev/null ||
		git -C "$repo" update-ref --no-deref HEAD "$head" 2>/dev/null
	return 0
}

git_w='' git_c='' git_pick=''
i=0
while [ "$i" -lt "$git_runs" ]; do
	i=$((i + 1))
	say "gitgit.sh: git rev-list --bisect, run $i of $git_runs"
	timed "$repo" git rev-list --bisect "$bad" --not "$good" || die "git failed"
	git_pick=$(cat "$BENCH_REPOS/.out")
	git_w="$git_w $t_wall" git_c="$git_c $t_cpu"
done

first_w='' first_c='' cached_w='' cached_c='' same=yes
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	say "gitgit.sh: halve, run $i of $runs"
	for kind in first cached; do
		halve_end
		[ "$kind" = first ] && rm -f "$cache"
		timed "$repo" "$HALVE_BIN" start --no-checkout "$bad" "$good" ||
			die "halve start failed: $(head -n 1 "$BENCH_REPOS/.err")"
		pick=$(git -C "$repo" rev-parse BISECT_HEAD)
		[ "$pick" = "$git_pick" ] || same="NO: git $git_pick, halve $pick"
		if [ "$kind" = first ]; then
			first_w="$first_w $t_wall" first_c="$first_c $t_cpu"
		else
			cached_w="$cached_w $t_wall" cached_c="$cached_c $t_cpu"
		fi
	done
done
halve_end

# shellcheck disable=SC2086
gw=$(median $git_w) gc=$(median $git_c)
# shellcheck disable=SC2086
fw=$(median $first_w) fc=$(median $first_c) cw=$(median $cached_w) cc=$(median $cached_c)
ratio() { awk -v g="$1" -v h="$2" 'BEGIN { if (g + 0 > 0) printf "%.3f", h / g; else printf "-" }'; }
printf '| history | git rev-list --bisect: wall (CPU) | halve start, first: wall (CPU) | halve/git wall (CPU) | halve start, cached: wall (CPU) | same pick |\n'
printf '|---|---:|---:|---:|---:|---|\n'
printf '| git.git %s..%s, %s | %s s (%s s) | %s s (%s s) | %s (%s) | %s s (%s s) | %s |\n' \
	"$(echo "$good" | cut -c1-7)" "$(echo "$bad" | cut -c1-7)" "$info" "$gw" "$gc" \
	"$fw" "$fc" "$(ratio "$gw" "$fw")" "$(ratio "$gc" "$fc")" "$cw" "$cc" "$same"
