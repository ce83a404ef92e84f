#!/bin/sh
# bench/graph-cache.sh: a million commits and no commit-graph (a fresh
# clone has none): what `halve start` costs the first time, when halve
# reads every commit from objects and writes its own commit-graph cache
# (.git/halve/commit-graph) and the range it walked (.git/halve/range),
# and what every later open costs once they are there. git in the same
# run on the same repository.
#
#   git rev-list --bisect bad --not good   git's choice (one run, kept in
#                                          the repository: it takes many
#                                          minutes; --fresh-git again)
#   git rev-list --count bad --not good    git's walk alone, for scale
#   halve start, first                     no commit-graph, no cache: reads
#                                          objects, writes the caches
#   halve status --porcelain               a later open: the commit under
#                                          test, cut out of the range file
#   halve status, no range file            the same through the commit-graph
#                                          cache alone: a range walked anew
#   halve start, again                     after `halve reset`, the cache kept
#   halve bad (the next step)              a mark and the next midpoint
#
# The first start runs once per --runs (the caches removed before each);
# every row is a median. The repository is the 1m preset without a
# commit-graph ($BENCH_REPOS/pick-1m), generated when missing; --repo DIR
# uses another (tags or refs `good` and `bad`; its commit-graph, if any,
# is left alone and said). Prints Markdown table rows for
# doc/PERFORMANCE.md. Never run by `make check`.
#
# usage: bench/graph-cache.sh [--preset 1m] [--repo DIR] [--runs N]
#                             [--git-timeout SECS] [--skip-git] [--fresh-git]
set -u
. "$(dirname "$0")/lib.sh"

preset=1m
repo=''
runs=3
git_timeout=3000
skip_git=0
fresh_git=0
while [ $# -gt 0 ]; do
	case $1 in
	--preset) preset=$2; shift ;;
	--repo) repo=$(cd "$2" && pwd) || exit 1; shift ;;
	--runs) runs=$2; shift ;;
	--git-timeout) git_timeout=$2; shift ;;
	--skip-git) skip_git=1 ;;
	--fresh-git) fresh_git=1 ;;
	-h|--help) print_help; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

HALVE_BIN=$(find_halve)
[ -n "$HALVE_BIN" ] || die "no halve (set HALVE or HALVE_BUILDDIR)"
if [ -z "$repo" ]; then
	say "graph-cache.sh: $preset: generating (once), no commit-graph"
	repo=$(make_repo "pick-$preset" --preset "$preset") || exit 1
fi
gitdir=$(git -C "$repo" rev-parse --git-common-dir) || exit 1
case $gitdir in /*) ;; *) gitdir=$repo/$gitdir ;; esac
cache=$gitdir/halve/commit-graph
rangefile=$gitdir/halve/range
note=''
if [ -e "$gitdir/objects/info/commit-graph" ] ||
   [ -e "$gitdir/objects/info/commit-graphs" ]; then
	note="the repository has a commit-graph of git's"
fi

say "graph-cache.sh: $(machine)"
say "graph-cache.sh: $repo"
info=$(printf '%s commits / %s merges' "$(git -C "$repo" rev-list --count bad)" \
	"$(git -C "$repo" rev-list --count --merges bad)")

# git's choice: one run, kept in the repository.
git_cache=$gitdir/bench/git-pick-nocg
git_pick='' git_wall=- git_cpu=- git_date=''
if [ "$skip_git" = 0 ]; then
	if [ "$fresh_git" = 1 ] || [ ! -f "$git_cache" ]; then
		say "graph-cache.sh: git rev-list --bisect (minutes)"
		if timed "$repo" timeout "$git_timeout" git rev-list --bisect bad --not good; then
			mkdir -p "$gitdir/bench"
			printf '%s %s %s %s\n' "$(cat "$BENCH_REPOS/.out")" "$t_wall" "$t_cpu" \
				"$(date +%Y-%m-%d)" >"$git_cache"
		else
			git_wall=">$git_timeout"
		fi
	fi
	[ -f "$git_cache" ] && read -r git_pick git_wall git_cpu git_date <"$git_cache"
fi
timed "$repo" git rev-list --count bad --not good
walk_wall=$t_wall walk_cpu=$t_cpu

# row LABEL WALLS CPUS [NOTE]
row() {
	# shellcheck disable=SC2086
	printf '| %s | %s | %s s (%s s) | %s |\n' "$info" "$1" "$(median $2)" \
		"$(median $3)" "${4:-}"
}

first_w='' first_c='' status_w='' status_c='' again_w='' again_c='' next_w='' next_c=''
walk_w='' walk_c=''
pick='' same=yes
[ -n "$git_pick" ] || same="- (git not run)"
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	say "graph-cache.sh: run $i of $runs"
	end_bisect "$repo"
	rm -f "$cache" "$rangefile"
	timed "$repo" "$HALVE_BIN" start --no-checkout bad good ||
		die "halve start failed: $(head -n 1 "$BENCH_REPOS/.err")"
	first_w="$first_w $t_wall" first_c="$first_c $t_cpu"
	[ -s "$cache" ] || die "halve wrote no cache at $cache"
	pick=$(git -C "$repo" rev-parse BISECT_HEAD)
	[ -z "$git_pick" ] || [ "$pick" = "$git_pick" ] || same="NO: git $git_pick, halve $pick"
	timed "$repo" "$HALVE_BIN" status --porcelain
	grep -q "$pick" "$BENCH_REPOS/.out" || die "status does not name $pick"
	status_w="$status_w $t_wall" status_c="$status_c $t_cpu"
	[ -s "$rangefile" ] || die "halve wrote no range file at $rangefile"
	rm -f "$rangefile"
	timed "$repo" "$HALVE_BIN" status --porcelain
	grep -q "$pick" "$BENCH_REPOS/.out" || die "status does not name $pick"
	walk_w="$walk_w $t_wall" walk_c="$walk_c $t_cpu"
	end_bisect "$repo"
	[ -s "$cache" ] || die "halve reset removed the cache"
	timed "$repo" "$HALVE_BIN" start --no-checkout bad good
	again_w="$again_w $t_wall" again_c="$again_c $t_cpu"
	[ "$(git -C "$repo" rev-parse BISECT_HEAD)" = "$pick" ] || die "the cache changed the pick"
	timed "$repo" "$HALVE_BIN" bad "$pick"
	next_w="$next_w $t_wall" next_c="$next_c $t_cpu"
done
end_bisect "$repo"

printf '| history | what | wall (CPU) | notes |\n|---|---|---:|---|\n'
printf '| %s | git rev-list --bisect (git'"'"'s pick) | %s s (%s s) | %s |\n' "$info" \
	"$git_wall" "$git_cpu" "${git_date:+one run, $git_date}"
printf '| %s | git rev-list --count (the walk alone) | %s s (%s s) | |\n' "$info" \
	"$walk_wall" "$walk_cpu"
row "halve start, first (no commit-graph, writes the cache)" "$first_w" "$first_c" \
	"same pick as git: $same${note:+; $note}; cache $(du -k "$cache" | cut -f1) KiB"
row "halve status --porcelain (the commit under test)" "$status_w" "$status_c"
row "halve status, range file removed (walked through the cache)" "$walk_w" "$walk_c"
row "halve start, again (after reset: the cache kept)" "$again_w" "$again_c"
row "halve bad (the next step)" "$next_w" "$next_c"
