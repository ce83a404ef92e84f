# bench/lib.sh: shared by the benchmark scripts in bench/ (sourced, not run).
#
# Finds (or builds) gen-history and halve, generates the benchmark
# repositories once and reuses them, and times commands. Nothing here is
# used by `make check`: benchmarks take minutes and measure a machine.
#
# Environment:
#   BENCH_REPOS   where generated repositories live
#                 (default ${TMPDIR:-/tmp}/halve-bench); never inside a
#                 source tree you care about, the 1M repository is 300 MB
#   GEN_HISTORY   a gen-history binary (default: HALVE_BUILDDIR/bench/gen-history,
#                 else compiled from bench/gen-history.c into BENCH_REPOS/.bin)
#   HALVE         the halve binary (default: HALVE_BUILDDIR/halve, else halve in PATH)
#   HALVE_BUILDDIR  an (out-of-tree) build directory of halve
#   CC            compiler for gen-history when no binary is given (default cc)

BENCH_SRCDIR=$(cd "$(dirname "$0")" && pwd)
BENCH_REPOS=${BENCH_REPOS:-${TMPDIR:-/tmp}/halve-bench}
mkdir -p "$BENCH_REPOS" || exit 1
BENCH_REPOS=$(cd "$BENCH_REPOS" && pwd)

say() { printf '%s\n' "$*" >&2; }
die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# newer A B: true when file A was modified after file B (test -nt is not POSIX).
newer() { [ -n "$(find "$1" -prune -newer "$2" 2>/dev/null)" ]; }

# Prints the path of a usable gen-history, building it when needed.
find_gen_history() {
	if [ -n "${GEN_HISTORY:-}" ]; then
		[ -x "$GEN_HISTORY" ] || die "GEN_HISTORY=$GEN_HISTORY is not executable"
		printf '%s\n' "$GEN_HISTORY"
		return
	fi
	if [ -n "${HALVE_BUILDDIR:-}" ] && [ -x "$HALVE_BUILDDIR/bench/gen-history" ] &&
	   newer "$HALVE_BUILDDIR/bench/gen-history" "$BENCH_SRCDIR/gen-history.c"; then
		printf '%s\n' "$HALVE_BUILDDIR/bench/gen-history"
		return
	fi
	_bin=$BENCH_REPOS/.bin/gen-history
	if [ ! -x "$_bin" ] || newer "$BENCH_SRCDIR/gen-history.c" "$_bin"; then
		mkdir -p "$BENCH_REPOS/.bin" || exit 1
		${CC:-cc} -O2 -o "$_bin" "$BENCH_SRCDIR/gen-history.c" -lm ||
			die "cannot build gen-history"
	fi
	printf '%s\n' "$_bin"
}

# Prints the halve binary, or nothing when there is none that runs.
find_halve() {
	_h=${HALVE:-}
	if [ -z "$_h" ] && [ -n "${HALVE_BUILDDIR:-}" ] && [ -x "$HALVE_BUILDDIR/halve" ]; then
		_h=$HALVE_BUILDDIR/halve
	fi
	if [ -z "$_h" ]; then
		_h=$(command -v halve 2>/dev/null) || _h=
	fi
	[ -n "$_h" ] && [ -x "$_h" ] || return 0
	case $_h in /*) ;; *) _h=$(pwd)/$_h ;; esac
	printf '%s\n' "$_h"
}

# The script's own header comment, for -h: its usage lives there.
print_help() {
	sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

# make_repo NAME GEN-OPTIONS...: generates $BENCH_REPOS/NAME unless a
# repository made with exactly these options is already there. Prints its path.
make_repo() {
	_name=$1
	shift
	_dir=$BENCH_REPOS/$_name
	_args="$* (gen-history.c $(cksum < "$BENCH_SRCDIR/gen-history.c" | cut -d' ' -f1))"
	if [ -f "$_dir/.git/bench/args" ] && [ "$(cat "$_dir/.git/bench/args")" = "$_args" ]; then
		printf '%s\n' "$_dir"
		return
	fi
	rm -rf "$_dir"
	"$(find_gen_history)" --quiet "$@" "$_dir" >&2 || die "gen-history failed for $_name"
	printf '%s\n' "$_args" > "$_dir/.git/bench/args"
	printf '%s\n' "$_dir"
}

# Ends any bisection in repository $1, with halve if it can, else git.
end_bisect() {
	if [ -n "${HALVE_BIN:-}" ]; then
		(cd "$1" && "$HALVE_BIN" reset) >/dev/null 2>&1
	fi
	git -C "$1" bisect reset >/dev/null 2>&1
	git -C "$1" checkout -q -f main 2>/dev/null
	return 0
}

# Nanoseconds since the epoch (GNU date).
now_ns() { date +%s%N; }

# secs START_NS END_NS: seconds with three decimals.
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

# timed DIR CMD...: runs CMD in DIR, its stdout in $BENCH_REPOS/.out and
# stderr in $BENCH_REPOS/.err; sets t_wall (seconds, from the clock) and
# t_cpu (user + system seconds of CMD and everything it waited for, from
# /usr/bin/time; "-" without it). Returns CMD's status. The machine may be
# shared: CPU time is the figure that other load disturbs least, wall time
# is what a person waits (it also counts fsync and I/O).
timed() {
	_dir=$1
	shift
	rm -f "$BENCH_REPOS/.time"
	_s=$(now_ns)
	if [ -x /usr/bin/time ]; then
		(cd "$_dir" && exec /usr/bin/time -f '%U %S' -o "$BENCH_REPOS/.time" "$@")
	else
		(cd "$_dir" && exec "$@")
	fi > "$BENCH_REPOS/.out" 2> "$BENCH_REPOS/.err"
	_rc=$?
	_e=$(now_ns)
	t_wall=$(secs "$_s" "$_e")
	t_cpu=-
	if [ -s "$BENCH_REPOS/.time" ]; then
		# GNU time puts "Command exited with non-zero status N" first.
		t_cpu=$(tail -n 1 "$BENCH_REPOS/.time" | awk '{ printf "%.2f", $1 + $2 }')
	fi
	return "$_rc"
}

# median VALUES...: the median of numbers.
median() {
	printf '%s\n' "$@" | grep -v '^-*$' | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]
		else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Describes the machine in one line for the figures.
machine() {
	_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
	printf '%s cores, %s, %s, %s\n' "$(nproc 2>/dev/null || echo '?')" "${_cpu:-unknown cpu}" \
		"$(git --version)" "$(uname -sr)"
}
