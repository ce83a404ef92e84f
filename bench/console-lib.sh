# bench/console-lib.sh: what the console benchmarks (handoff.sh,
# console-throughput.sh) share beyond bench/lib.sh (sourced after it, not
# run): their two helper programs, stand-in-qemu and ptycat, taken from
# the build directory when it has them up to date, else compiled with cc
# into $BENCH_REPOS/.bin, as lib.sh does for gen-history.

# find_bench_tool NAME: prints the path of bench/NAME, building it when
# needed. console-path links libhalve: it comes from a build directory
# (`make bench`) or not at all (then this prints nothing).
find_bench_tool() {
	if [ -n "${HALVE_BUILDDIR:-}" ] && [ -x "$HALVE_BUILDDIR/bench/$1" ] &&
	   newer "$HALVE_BUILDDIR/bench/$1" "$BENCH_SRCDIR/$1.c"; then
		printf '%s\n' "$HALVE_BUILDDIR/bench/$1"
		return
	fi
	[ "$1" = console-path ] && return 0
	_bin=$BENCH_REPOS/.bin/$1
	if [ ! -x "$_bin" ] || newer "$BENCH_SRCDIR/$1.c" "$_bin"; then
		mkdir -p "$BENCH_REPOS/.bin" || exit 1
		# ptycat needs forkpty (libutil on older glibc)
		${CC:-cc} -O2 -o "$_bin" "$BENCH_SRCDIR/$1.c" -lutil ||
			die "cannot build $1"
	fi
	printf '%s\n' "$_bin"
}
