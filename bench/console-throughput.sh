#!/bin/sh
# bench/console-throughput.sh: how fast console bytes go through halve's
# pty into console.log and the verdict rules (issue 3, Speed, item 3).
#
# A 3-commit repository bisected by `halve run` with one boot (c2), whose
# [boot] qemu is bench/stand-in-qemu: with the terminal raw, as qemu's
# stdio chardev sets it, it writes --mb MiB of kernel-log-like lines
# (80 bytes on average, \r\n, none matching a rule: the built-in bad
# rules are on, as with no rules written) as fast as the pty takes them,
# then "RESULT: OKAY", then waits for halve's QMP quit. The time is from
# the stand-in's first byte to that quit (halve asks the instant the
# line matched); MB/s = bytes / time, MB = 10^6 bytes. console.log must
# hold exactly the bytes written. [boot] silence is 30s, so the silence
# timer is restarted on every read as in a real config.
#
# For scale, the same stand-in with the same bytes:
#   ptycat  bench/ptycat.c: the same pty, the same 64 KiB reads, copied
#           into a file and nothing else: what the pty gives a program
#           that does no work with the bytes;
#   pipe    into `cat >FILE` through a pipe: what the bytes cost without a
#           pty at all;
#   console-path (bench/console-path.c, from `make bench` only): halve's
#           own console path (libhalve's loop, read size, log write,
#           silence timer, line assembler, rules) without the job around
#           it, on the pty as halve has it, on the pty without the rules,
#           and on a socket pair instead of the pty.
# One more row pair: --long-mb MiB on a single line (no newline), to show
# that the line cap (64 KiB kept, the rest counted) costs nothing. And a
# second table: the line assembler and the rules alone, on the same lines
# in memory (console-path --cost), in ns per line.
#
# Each of the --runs rounds runs every reader once, in turn, so that the
# load of whatever else runs on the machine falls on all readers alike;
# rows give medians and every run's figure. CPU is the reader's own
# user+system time (halve's: the run's total minus the stand-in's own);
# the kernel's pty work in kworker threads is in no column. Target: at
# least 50 MB/s. Never run by `make check`.
#
# usage: bench/console-throughput.sh [--mb N] [--long-mb N] [--runs N] [--no-ref]
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"

mb=512
long_mb=64
runs=3
do_ref=1
while [ $# -gt 0 ]; do
	case $1 in
	--mb) mb=$2; shift ;;
	--long-mb) long_mb=$2; shift ;;
	--runs) runs=$2; shift ;;
	--no-ref) do_ref=0 ;;
	-h|--help) print_help; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

HALVE_BIN=$(find_halve)
[ -n "$HALVE_BIN" ] || die "no halve binary (set HALVE or HALVE_BUILDDIR)"
STANDIN=$(find_bench_tool stand-in-qemu)
PTYCAT=$(find_bench_tool ptycat)
CPATH=$(find_bench_tool console-path)
[ -n "$CPATH" ] || say "console-throughput.sh: no console-path (make bench builds it): its rows stay out"
work=$BENCH_REPOS/throughput
rm -rf "$work"
mkdir -p "$work" || exit 1

git init -q "$work/repo" || die "git init failed"
(
	cd "$work/repo" || exit 1
	export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid
	export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
	for i in 1 2 3; do
		echo "$i" >index
		git add index
		GIT_AUTHOR_DATE="1500000000 +0000" GIT_COMMITTER_DATE="$((1500000000 + i * 60)) +0000" \
			git commit -q -m "c$i" || exit 1
		git tag "c$i"
	done
) || die "cannot make the repository"

# write_config FILE STAND-IN-OPTIONS
write_config() {
	cat >"$1" <<EOF
# written by bench/console-throughput.sh
[boot]
qemu    = $STANDIN --stamps $work/stamps --verdict okay $2
timeout = 10m
silence = 30s

[verdict]
good = ^RESULT: OKAY
bad  = ^RESULT: FAILED
EOF
}

# stamp_of EVENT: the stand-in's stamp (its last one of that name).
stamp_of() { awk -v e="$1" '$2 == e { v = $3 } END { print v }' "$work/stamps"; }

mbps() { awk -v b="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.1f", b / t / 1e6; else printf "-" }'; }

# run_halve OPTIONS: one bisection; sets r_secs, r_bytes, r_cpu, r_logok.
run_halve() {
	write_config "$work/halve.conf" "$1"
	end_bisect "$work/repo"
	rm -rf "$work/repo/.git/halve/steps"
	: >"$work/stamps"
	(cd "$work/repo" && "$HALVE_BIN" start --config "$work/halve.conf" c3 c1) >/dev/null 2>&1 ||
		die "halve start failed"
	timed "$work/repo" "$HALVE_BIN" run
	_rc=$?
	# c2 is good: the answer is c3
	grep -q "^$(git -C "$work/repo" rev-parse c3) is the first bad commit" "$BENCH_REPOS/.out" ||
		die "halve run failed ($_rc): $(tail -n 2 "$BENCH_REPOS/.out" "$BENCH_REPOS/.err")"
	r_bytes=$(stamp_of bytes)
	r_secs=$(awk -v s="$(stamp_of start)" -v e="$(stamp_of quit)" 'BEGIN { printf "%.3f", e - s }')
	r_cpu=$(awk -v t="$t_cpu" -v s="$(stamp_of cpu)" 'BEGIN { printf "%.2f", t - s }')
	_log=$work/repo/.git/halve/steps/$(git -C "$work/repo" rev-parse c2)/console.log
	if [ "$(wc -c <"$_log")" = "$r_bytes" ]; then r_logok=yes; else r_logok="no ($(wc -c <"$_log"))"; fi
	end_bisect "$work/repo"
	rm -rf "$work/repo/.git/halve/steps"
}

run_ptycat() {
	: >"$work/stamps"
	"$PTYCAT" "$work/out" "$STANDIN" --stamps "$work/stamps" --exit $1 >"$work/ptycat.out" ||
		die "ptycat failed"
	r_bytes=$(stamp_of bytes)
	r_secs=$(awk -v s="$(stamp_of start)" '{ printf "%.3f", $6 - s }' "$work/ptycat.out")
	r_cpu=$(awk '{ printf "%.2f", $8 }' "$work/ptycat.out")
	if [ "$(wc -c <"$work/out")" = "$r_bytes" ]; then r_logok=yes; else r_logok="no ($(wc -c <"$work/out"))"; fi
	rm -f "$work/out"
}

run_pipe() {
	: >"$work/stamps"
	rm -f "$BENCH_REPOS/.time"
	/usr/bin/time -f '%U %S' -o "$BENCH_REPOS/.time" sh -c '"$@" | cat >"$0"' "$work/out" \
		"$STANDIN" --stamps "$work/stamps" --exit $1 || die "the pipe failed"
	_end=$(date +%s.%N)
	r_bytes=$(stamp_of bytes)
	r_secs=$(awk -v s="$(stamp_of start)" -v e="$_end" 'BEGIN { printf "%.3f", e - s }')
	r_cpu=$(tail -n 1 "$BENCH_REPOS/.time" | awk -v s="$(stamp_of cpu)" '{ printf "%.2f", $1 + $2 - s }')
	if [ "$(wc -c <"$work/out")" = "$r_bytes" ]; then r_logok=yes; else r_logok="no ($(wc -c <"$work/out"))"; fi
	rm -f "$work/out"
}

# run_cpath [CONSOLE-PATH-OPTIONS] -- STAND-IN-OPTIONS
run_cpath() {
	_o=
	while [ "$1" != -- ]; do _o="$_o $1"; shift; done
	shift
	: >"$work/stamps"
	# shellcheck disable=SC2086
	"$CPATH" $_o "$work/out" "$STANDIN" --stamps "$work/stamps" --exit "$@" >"$work/cpath.out" ||
		die "console-path failed"
	r_bytes=$(stamp_of bytes)
	r_secs=$(awk -v s="$(stamp_of start)" '{ printf "%.3f", $4 - s }' "$work/cpath.out")
	r_cpu=$(awk '{ printf "%.2f", $6 }' "$work/cpath.out")
	if [ "$(wc -c <"$work/out")" = "$r_bytes" ]; then r_logok=yes; else r_logok="no ($(wc -c <"$work/out"))"; fi
	rm -f "$work/out"
}
# shellcheck disable=SC2086
run_path() { run_cpath -- $1; }
# shellcheck disable=SC2086
run_path_norules() { run_cpath --no-rules -- $1; }
# shellcheck disable=SC2086
run_path_socketpair() { run_cpath --socketpair -- $1; }

# measure KEY READER OPTIONS: one run, its figures appended to
# $work/res-KEY ("seconds cpu bytes log-ok").
measure() {
	say "console-throughput.sh: $1: run $_round of $runs"
	"run_$2" "$3"
	say "console-throughput.sh:   $r_secs s, $r_bytes bytes, reader CPU $r_cpu s"
	printf '%s %s %s %s\n' "$r_secs" "$r_cpu" "$r_bytes" "$r_logok" >>"$work/res-$1"
}

# row KEY LABEL READER: the table row of KEY's runs (medians, all values).
row() {
	_f=$work/res-$1
	# shellcheck disable=SC2046
	_s=$(median $(awk '{ print $1 }' "$_f")) _c=$(median $(awk '{ print $2 }' "$_f"))
	_b=$(awk 'END { print $3 }' "$_f")
	_ok=$(awk '$4 != "yes" { bad = $0 } END { print bad ? "no: " bad : "yes" }' "$_f")
	_rate=$(mbps "$_b" "$_s")
	case $3 in
	halve) _met=$(awk -v r="$_rate" 'BEGIN { print (r >= 50) ? "yes" : "no" }') ;;
	*) _met=- ;;
	esac
	case $3 in
	path) _name="console-path, pty" ;;
	path_norules) _name="console-path, pty, no rules" ;;
	path_socketpair) _name="console-path, socket pair" ;;
	*) _name=$3 ;;
	esac
	printf '| %s | %s | %s | %s s (%s) | %s MB/s (%s) | %s s | %s | %s |\n' "$2" "$_b" "$_name" "$_s" \
		"$(awk '{ print $1 }' "$_f" | sort -g | tr '\n' ' ' | sed 's/ $//; s/ /, /g')" "$_rate" \
		"$(awk -v b="$_b" '{ printf "%.1f\n", b / $1 / 1e6 }' "$_f" | sort -g | tr '\n' ' ' | sed 's/ $//; s/ /, /g')" \
		"$_c" "$_ok" "$_met"
}

say "console-throughput.sh: $(machine)"
trap 'say "console-throughput.sh: load average $(cut -d" " -f1-3 /proc/loadavg) at the end"' EXIT
say "console-throughput.sh: load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
say "console-throughput.sh: halve $HALVE_BIN at $(git -C "$BENCH_SRCDIR" rev-parse --short HEAD 2>/dev/null || echo '?')"
bytes=$((mb * 1048576))
long=$((long_mb * 1048576))
printf '| console | bytes | reader | first byte to verdict: median (all) | MB/s: median (all) | reader CPU | log = bytes written | at least 50 MB/s |\n'
printf '|---|---:|---|---:|---:|---:|---|---|\n'
# Rounds: every reader once per round, in turn, so that the load other
# programs put on the machine falls on all of them alike.
readers="halve"
if [ "$do_ref" = 1 ]; then
	readers="$readers ptycat pipe"
	[ -n "$CPATH" ] && readers="$readers path path_norules path_socketpair"
fi
for r in $readers; do : >"$work/res-lines-$r"; done
for r in halve ptycat; do : >"$work/res-long-$r"; done
_round=1
while [ "$_round" -le "$runs" ]; do
	for r in $readers; do
		measure "lines-$r" "$r" "--flood $bytes"
	done
	measure long-halve halve "--longline $long"
	[ "$do_ref" = 1 ] && measure long-ptycat ptycat "--longline $long"
	_round=$((_round + 1))
done
for r in $readers; do
	row "lines-$r" "$mb MiB of 80-byte lines" "$r"
done
row long-halve "$long_mb MiB on one line" halve
[ "$do_ref" = 1 ] && row long-ptycat "$long_mb MiB on one line" ptycat
[ -n "$CPATH" ] || exit 0

# The assembler and the rules on the same lines in memory, 64 MiB worth.
"$STANDIN" --flood 1048576 --exit | head -n -2 >"$work/lines"
printf '\n| in memory, %s lines x 64 | ns per line | MB/s of one core |\n' "$(wc -l <"$work/lines")"
printf '|---|---:|---:|\n'
"$CPATH" --cost "$work/lines" 64 | awk '
	{ ns = $7 * 1e9 / $3; what = $1 == "lines" ? "line assembler" : "line assembler + rules (2 verdict, 18 built-in)"
	  printf "| %s | %.0f | %.0f |\n", what, ns, $5 / $7 / 1e6 }'
exit 0
