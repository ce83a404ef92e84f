#!/bin/sh
# bench/first-paint.sh: how long the workstation takes to show commits,
# halve against tig (issue 4: "first paint on a generated 1,000,000-commit
# repository must come in well under a second").
#
# Each run starts the program in a detached tmux session of fixed size on
# a private tmux server, then polls `tmux capture-pane -p` every 10 ms
# until a line showing a commit appears, and records the time from the
# program's start (stamped by the shell that execs it, so tmux's own
# start-up is not counted) to that capture; then the session is killed.
# Polling is the point here: this measures what a person sees, and is
# never run by `make check`. Resolution is the poll interval plus one
# capture (~15 ms).
#
#   halve   `halve start --no-checkout bad good` first (not timed), then
#           `halve` with no arguments; a commit line is a graph line with
#           an abbreviated id and a subject ("… 3f2a1c7 subject").
#   under test  the same, polled until the commit under test is on the
#           screen: its row, with its id and "[current]" (the step is
#           computed and the graph has gone to it); the id is BISECT_HEAD's.
#   script  `halve --script F` where F is "dump first" + "quit": the
#           script runs at the loop's first idle turn, after the graph is
#           loaded and drawn; timed from start to exit (teardown
#           included), and the dump must show a commit line. Its CPU
#           time (user + system, /usr/bin/time) is given too: on a shared
#           machine the wall time also holds the waits for a CPU.
#   tig     `tig` in the same repository (bisect refs in place); a commit
#           line of its main view starts with "YYYY-MM-DD HH:MM". tig
#           streams `git log`, so it paints early and loads for long
#           after; the figure is its first paint, not its load.
#
# The repositories are the generated ones of bench/pick.sh (presets 44k
# and 1m with a commit-graph, $BENCH_REPOS/pick-PRESET-cg), generated when
# missing; --repo DIR (repeatable) uses other repositories, which need
# tags or refs `good` and `bad`. The bisection is ended (`halve reset`)
# afterwards. Prints Markdown table rows, for doc/PERFORMANCE.md.
#
# usage: bench/first-paint.sh [--presets "44k 1m"] [--repo DIR]... [--runs N]
#                             [--size COLSxROWS] [--timeout SECS] [--no-tig]
#                             [--no-script]
set -u
. "$(dirname "$0")/lib.sh"

presets="44k 1m"
repos=''
runs=5
cols=120 rows=40
timeout=30
do_tig=1
do_script=1
while [ $# -gt 0 ]; do
	case $1 in
	--presets) presets=$2; shift ;;
	--repo) repos="$repos $(cd "$2" && pwd)" || exit 1; shift ;;
	--runs) runs=$2; shift ;;
	--size) cols=${2%x*} rows=${2#*x}; shift ;;
	--timeout) timeout=$2; shift ;;
	--no-tig) do_tig=0 ;;
	--no-script) do_script=0 ;;
	-h|--help) print_help; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

command -v tmux >/dev/null 2>&1 || die "needs tmux"
HALVE_BIN=$(find_halve)
[ -n "$HALVE_BIN" ] || die "no halve binary (set HALVE or HALVE_BUILDDIR)"
if [ "$do_tig" = 1 ] && ! command -v tig >/dev/null 2>&1; then
	say "first-paint.sh: no tig installed: its column stays empty"
	do_tig=0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/first-paint.XXXXXX") || exit 1
# A private server: no other tmux of the user is touched or disturbs us.
TMUX_SOCK=first-paint-$$
unset TMUX
tm() { tmux -L "$TMUX_SOCK" "$@"; }
cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Lines that show a commit: halve's graph pane ("… 3f2a1c7 subject" after
# the lanes; the status bar has no id) and tig's main view (a date first).
HALVE_RE='^[^ [:alnum:]].* [0-9a-f]{7,40} [^ ]'
TIG_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} '

# paint_once DIR REGEX CMD...: runs CMD in DIR in a fresh tmux session and
# sets t_paint to the seconds until the screen first matches REGEX ("-"
# after --timeout seconds, or when CMD ends first). The captured screen is
# left in $work/screen.
paint_once() {
	_dir=$1 _re=$2
	shift 2
	rm -f "$work/start" "$work/screen"
	# shellcheck disable=SC2016
	tm new-session -d -s paint -x "$cols" -y "$rows" -c "$_dir" \
		sh -c 'date +%s%N > "$0"; exec "$@"' "$work/start" "$@" ||
		die "tmux new-session failed"
	t_paint=-
	_deadline=$(( $(now_ns) + timeout * 1000000000 ))
	while :; do
		if tm capture-pane -p -t paint > "$work/screen" 2>/dev/null &&
		   grep -Eq "$_re" "$work/screen"; then
			_now=$(now_ns)
			t_paint=$(secs "$(cat "$work/start")" "$_now")
			break
		fi
		tm has-session -t paint 2>/dev/null || break
		[ "$(now_ns)" -lt "$_deadline" ] || break
		sleep 0.01
	done
	tm kill-session -t paint >/dev/null 2>&1
	# the program may still be exiting: let it go before the next run
	sleep 0.2
}

# script_once DIR: runs `halve --script` (dump at first idle, then quit)
# and sets t_paint to the seconds from start to exit, "-" when the dump
# shows no commit line or it does not end within --timeout.
script_once() {
	rm -f "$work/start" "$work/start.end" "$work/start.err" "$work/first"
	printf 'dump %s\nquit\n' "$work/first" > "$work/script"
	# shellcheck disable=SC2016
	tm new-session -d -s paint -x "$cols" -y "$rows" -c "$1" \
		sh -c 'date +%s%N > "$0"; "$@" 2> "$0.err"; date +%s%N > "$0.end"' \
		"$work/start" /usr/bin/time -f '%U %S' -o "$work/cpu" \
		"$HALVE_BIN" --script "$work/script" ||
		die "tmux new-session failed"
	t_paint=- t_cpu=-
	_deadline=$(( $(now_ns) + timeout * 1000000000 ))
	while [ ! -s "$work/start.end" ] && [ "$(now_ns)" -lt "$_deadline" ]; do
		sleep 0.01
	done
	if [ -s "$work/start.end" ] && grep -Eq "$HALVE_RE" "$work/first" 2>/dev/null; then
		t_paint=$(secs "$(cat "$work/start")" "$(cat "$work/start.end")")
		t_cpu=$(tail -n 1 "$work/cpu" | awk '{ printf "%.2f", $1 + $2 }')
	elif [ -s "$work/start.err" ]; then
		say "first-paint.sh: halve --script: $(head -n 1 "$work/start.err")"
	fi
	rm -f "$work/start.end" "$work/start.err"
	tm kill-session -t paint >/dev/null 2>&1
	sleep 0.2
}

# series WHAT DIR: runs WHAT (halve, under-test, script, tig) --runs times
# in DIR and sets s_med, s_min, s_max, and s_cpu (the median CPU time of
# a script run, else -); s_fail counts runs that never painted.
series() {
	_all='' _cpus='' s_fail=0 s_cpu=-
	_i=0
	while [ "$_i" -lt "$runs" ]; do
		case $1 in
		halve) paint_once "$2" "$HALVE_RE" "$HALVE_BIN" ;;
		under-test) paint_once "$2" "$UNDER_TEST_RE" "$HALVE_BIN" ;;
		script) script_once "$2" ;;
		tig) paint_once "$2" "$TIG_RE" tig ;;
		esac
		if [ "$t_paint" = - ]; then
			s_fail=$((s_fail + 1))
		else
			_all="$_all $t_paint"
			[ "$1" != script ] || _cpus="$_cpus $t_cpu"
		fi
		_i=$((_i + 1))
	done
	if [ -z "$_all" ]; then
		s_med=- s_min=- s_max=-
		return
	fi
	# shellcheck disable=SC2086
	s_med=$(median $_all)
	# shellcheck disable=SC2086
	[ -z "$_cpus" ] || s_cpu=$(median $_cpus)
	# shellcheck disable=SC2086
	s_min=$(printf '%s\n' $_all | sort -g | head -n 1)
	# shellcheck disable=SC2086
	s_max=$(printf '%s\n' $_all | sort -g | tail -n 1)
}

cell() {
	if [ "$s_med" = - ]; then
		printf 'did not paint'
	else
		printf '%s (%s–%s)' "$s_med" "$s_min" "$s_max"
		[ "$s_cpu" = - ] || printf ', CPU %s' "$s_cpu"
		[ "$s_fail" = 0 ] || printf ', %s of %s failed' "$s_fail" "$runs"
	fi
}

if [ -z "$repos" ]; then
	for p in $presets; do
		d=$BENCH_REPOS/pick-$p-cg
		if [ ! -d "$d/.git" ]; then
			say "first-paint.sh: $p: generating (once)"
			d=$(make_repo "pick-$p-cg" --preset "$p" --commit-graph) || exit 1
		fi
		repos="$repos $d"
	done
fi

say "first-paint.sh: $(machine), $(tmux -V), $([ "$do_tig" = 1 ] && tig --version | head -n 1)"
say "first-paint.sh: $runs runs each, terminal ${cols}x$rows, seconds: median (min–max)"
printf '| date | halve | history | halve: first paint | halve: commit under test shown | halve --script: to first idle and exit | tig: first paint |\n'
printf '|---|---|---|---:|---:|---:|---:|\n'
rev=$(git -C "$BENCH_SRCDIR" rev-parse --short HEAD 2>/dev/null || echo '?')
for d in $repos; do
	info=$(awk '$1 == "commits" { c = $2 } $1 == "merges" { m = $2 }
		END { if (c) printf "%d commits / %d merges", c, m }' "$d/.git/bench/info" 2>/dev/null)
	[ -n "$info" ] || info=${d##*/}
	end_bisect "$d"
	(cd "$d" && "$HALVE_BIN" start --no-checkout bad good) > /dev/null 2>&1 ||
		die "halve start failed in $d"
	say "first-paint.sh: ${d##*/}: halve"
	series halve "$d"
	c_halve=$(cell)
	# shellcheck disable=SC2034 # read by series
	UNDER_TEST_RE=" $(git -C "$d" rev-parse --short=7 BISECT_HEAD) \[current\]"
	say "first-paint.sh: ${d##*/}: halve, until the commit under test shows"
	series under-test "$d"
	c_under=$(cell)
	c_script=-
	if [ "$do_script" = 1 ]; then
		say "first-paint.sh: ${d##*/}: halve --script"
		series script "$d"
		c_script=$(cell)
	fi
	c_tig=-
	if [ "$do_tig" = 1 ]; then
		say "first-paint.sh: ${d##*/}: tig"
		series tig "$d"
		c_tig=$(cell)
	fi
	end_bisect "$d"
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$(date +%Y-%m-%d)" "$rev" \
		"$info" "$c_halve" "$c_under" "$c_script" "$c_tig"
done
