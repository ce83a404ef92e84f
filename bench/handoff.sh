#!/bin/sh
# bench/handoff.sh: the latency from the console line that decides a step
# to qemu gone and the next step started (issue 3, Speed, item 2).
#
# A 12-commit repository whose build does nothing but record the clock
# (`exec stand-in-qemu --stamp FILE build`: the first thing the next
# step runs), bisected whole several times with different culprits. Per
# step, the latency is the next build's clock minus the clock at which
# the deciding line was written; the table gives the median and the max
# over all steps of all runs, and the medians of its two parts: decided
# to qemu stopped, qemu stopped to the next build. Three kinds of qemu:
#   stand-in, QMP   bench/stand-in-qemu: writes "RESULT: ..." with the
#                   clock just before, then idles until halve's QMP quit
#                   makes it exit, as qemu does (stopped: its stamp of
#                   the quit, taken just before it exits);
#   stand-in, no QMP  the same without a QMP socket: halve's quit finds
#                   nothing to talk to and only the job's SIGTERM ends it
#                   (stopped: its stamp of the signal);
#   real qemu       qemu-system-x86_64 under TCG booting a busybox
#                   initramfs whose /init prints the verdict and sleeps.
#                   The guest's clock is not the host's: the decision
#                   is console.log's mtime, qemu stopped the verdict
#                   file's (halve writes it once qemu is reaped). Both
#                   come from the kernel's coarse clock, up to a tick
#                   (4 ms here) early, so these latencies read up to 4 ms
#                   long and the split is in steps of 4 ms.
# Target: under 100 ms. Never run by `make check`.
#
# --trace runs one more bisection per stand-in kind under strace
# (-f --seccomp-bpf: processes stop only at the few syscalls that mark
# the moments) and splits the latency: decided (halve's QMP connect) ->
# qemu reaped -> verdict file -> marked (BISECT_LOG) -> checked out (HEAD)
# -> build forked -> build's first action. strace slows each traced
# syscall, so these figures are a little higher than the untraced ones.
# Not for the real qemu: strace following its threads makes its exit
# several times slower.
#
# usage: bench/handoff.sh [--runs N] [--real-runs N] [--no-real] [--no-term] [--trace]
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/console-lib.sh"

runs=6
real_runs=2
do_real=1
do_term=1
do_trace=0
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift ;;
	--real-runs) real_runs=$2; shift ;;
	--no-real) do_real=0 ;;
	--no-term) do_term=0 ;;
	--trace) do_trace=1 ;;
	-h|--help) print_help; exit 0 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

HALVE_BIN=$(find_halve)
[ -n "$HALVE_BIN" ] || die "no halve binary (set HALVE or HALVE_BUILDDIR)"
STANDIN=$(find_bench_tool stand-in-qemu)
work=$BENCH_REPOS/handoff
rm -rf "$work"
mkdir -p "$work/guest" || exit 1

# Culprits of the runs, in turn: spread over the range, both ends too.
culprits="7 3 10 5 12 2 9 4 11 6 8"

# The repository: c1 (good) .. c12 (bad); each commit's work tree has
# `index` (its number) and initrd.img, a link to $work/guest/initrd-N.img,
# which each run of the real qemu points at the okay or failed image.
make_handoff_repo() {
	git init -q "$work/repo" || die "git init failed"
	(
		cd "$work/repo" || exit 1
		export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid
		export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
		i=1
		while [ "$i" -le 12 ]; do
			echo "$i" >index
			ln -sfn "$work/guest/initrd-$i.img" initrd.img
			git add index initrd.img
			GIT_AUTHOR_DATE="1500000000 +0000" GIT_COMMITTER_DATE="$((1500000000 + i * 60)) +0000" \
				git commit -q -m "c$i" || exit 1
			git tag "c$i"
			i=$((i + 1))
		done
	) || die "cannot make the repository"
}

# write_config FILE QEMU-LINE: the pipeline config of a kind.
write_config() {
	cat >"$1" <<EOF
# written by bench/handoff.sh
[build]
command = exec $STANDIN --stamp $work/stamps build
timeout = 1m

[boot]
qemu    = $2
timeout = 2m
silence = 0

[verdict]
good = ^RESULT: OKAY
bad  = ^RESULT: FAILED
EOF
}

# The guest for the real qemu: /init prints the verdict, then nothing
# (printk quieted first, so no late kernel line moves console.log's
# mtime), and sleeps until qemu is stopped.
make_guest() {
	for _v in OKAY FAILED; do
		_root=$work/guest/root-$_v
		mkdir -p "$_root/bin" "$_root/proc" "$_root/dev"
		cp "${BUSYBOX:-/bin/busybox}" "$_root/bin/busybox" || return 1
		ln -sf busybox "$_root/bin/sh"
		cat >"$_root/init" <<EOF
#!/bin/sh
/bin/busybox mount -t proc proc /proc
echo 1 >/proc/sys/kernel/printk
echo "RESULT: $_v"
exec /bin/busybox sleep 1000000
EOF
		chmod 755 "$_root/init"
		(cd "$_root" && find . | cpio -o -H newc --quiet) >"$work/guest/$_v.img" || return 1
	done
}

real_qemu_ready() {
	command -v qemu-system-x86_64 >/dev/null 2>&1 || { why_real="no qemu-system-x86_64"; return 1; }
	kernel=${HALVE_KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V -r | head -n 1)}
	[ -n "$kernel" ] && [ -r "$kernel" ] || { why_real="no readable kernel"; return 1; }
	command -v cpio >/dev/null 2>&1 || { why_real="no cpio"; return 1; }
	LC_ALL=C ldd "${BUSYBOX:-/bin/busybox}" 2>&1 | grep -q '=>' &&
		{ why_real="no static busybox"; return 1; }
	make_guest || { why_real="cannot make the initramfs"; return 1; }
}

# point_guests CULPRIT: initrd-N.img -> FAILED.img for N >= CULPRIT.
point_guests() {
	_i=1
	while [ "$_i" -le 12 ]; do
		if [ "$_i" -ge "$1" ]; then _v=FAILED; else _v=OKAY; fi
		ln -sfn "$work/guest/$_v.img" "$work/guest/initrd-$_i.img"
		_i=$((_i + 1))
	done
}

# bisect TAG KIND CULPRIT [WRAPPER...]: one whole bisection with
# $work/KIND.conf; its stamps stay in $work/stamps, its per-step times are
# appended to $work/lat-TAG ("latency decided-to-stopped stopped-to-build"
# in ms) and the halve run's wall and CPU to $work/time-TAG ("wall cpu
# steps").
bisect() {
	_tag=$1 _kind=$2 _culprit=$3
	shift 3
	end_bisect "$work/repo"
	rm -rf "$work/repo/.git/halve/steps"
	: >"$work/stamps"
	echo "$_culprit" >"$work/culprit"
	point_guests "$_culprit"
	(cd "$work/repo" && "$HALVE_BIN" start --config "$work/$_kind.conf" c12 c1) >/dev/null 2>&1 ||
		die "$_kind: halve start failed"
	timed "$work/repo" "$@" "$HALVE_BIN" run
	_rc=$?
	if [ "$_rc" -ne 0 ] || ! grep -q "is the first bad commit" "$BENCH_REPOS/.out"; then
		die "$_kind: halve run failed ($_rc): $(tail -n 2 "$BENCH_REPOS/.out" "$BENCH_REPOS/.err")"
	fi
	grep -q "^$(git -C "$work/repo" rev-parse "c$_culprit") is the first bad commit" "$BENCH_REPOS/.out" ||
		die "$_kind: halve found the wrong commit (culprit c$_culprit)"
	if [ "$_kind" = real ]; then
		# the decision: when halve wrote the step's last console bytes;
		# qemu stopped: the verdict file, written once qemu is reaped
		for _d in "$work/repo/.git/halve/steps"/*; do
			printf '%s decide %s\n' "${_d##*/}" "$(stat -c %.9Y "$_d/console.log")"
			printf '%s quit %s\n' "${_d##*/}" "$(stat -c %.9Y "$_d/verdict")"
		done >>"$work/stamps"
	fi
	# Steps in order of their builds; the latency of a step is the next
	# build's clock minus its decision.
	sort -k3,3g "$work/stamps" | awk -v kind="$_kind" '
		$2 == "build" { order[++n] = $1; build[$1] = $3 }
		$2 == "decide" { decide[$1] = $3 }
		$2 == "quit" || $2 == "term" { quit[$1] = $3 }
		END {
			for (i = 1; i < n; i++) {
				c = order[i]; nx = order[i + 1]
				if (!(c in decide)) continue
				lat = (build[nx] - decide[c]) * 1000
				q = (c in quit) ? sprintf("%.3f", (quit[c] - decide[c]) * 1000) : "-"
				b = (c in quit) ? sprintf("%.3f", (build[nx] - quit[c]) * 1000) : "-"
				printf "%.3f %s %s\n", lat, q, b
			}
		}' >>"$work/lat-$_tag"
	printf '%s %s %s\n' "$t_wall" "$t_cpu" \
		"$(grep -c '^git bisect \(good\|bad\|skip\) ' "$work/repo/.git/BISECT_LOG")" >>"$work/time-$_tag"
	end_bisect "$work/repo"
}

col() { awk -v c="$1" '{ print $c }' "$2"; }
maxof() { printf '%s\n' "$@" | grep -v '^-*$' | sort -g | tail -n 1; }

# row KIND LABEL: the table row from $work/lat-KIND and $work/time-KIND.
row() {
	_n=$(wc -l <"$work/lat-$1")
	# shellcheck disable=SC2046
	_med=$(median $(col 1 "$work/lat-$1"))
	# shellcheck disable=SC2046
	_max=$(maxof $(col 1 "$work/lat-$1"))
	# shellcheck disable=SC2046
	_q=$(median $(col 2 "$work/lat-$1"))
	# shellcheck disable=SC2046
	_b=$(median $(col 3 "$work/lat-$1"))
	_per=$(awk '{ w += $1; c += $2; s += $3 } END {
		if (s) printf "%.1f ms (%.1f ms)", 1000 * w / s, 1000 * c / s; else printf "-" }' "$work/time-$1")
	_met=$(awk -v m="$_max" -v d="$_med" 'BEGIN { print (m < 100) ? "yes" : (d < 100 ? "median only" : "no") }')
	printf '| %s | %s | %s ms | %s ms | %s ms | %s ms | %s | %s |\n' "$2" "$_n" "$_med" "$_max" \
		"$_q" "$_b" "$_per" "$_met"
}

say "handoff.sh: $(machine)"
trap 'say "handoff.sh: load average $(cut -d" " -f1-3 /proc/loadavg) at the end"' EXIT
say "handoff.sh: load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
say "handoff.sh: halve $HALVE_BIN at $(git -C "$BENCH_SRCDIR" rev-parse --short HEAD 2>/dev/null || echo '?')"
make_handoff_repo
point_guests 13
write_config "$work/qmp.conf" "$STANDIN --stamps $work/stamps --culprit \$(cat $work/culprit)"
write_config "$work/term.conf" "$STANDIN --stamps $work/stamps --culprit \$(cat $work/culprit) --no-qmp"
kinds="qmp"
[ "$do_term" = 1 ] && kinds="$kinds term"
if [ "$do_real" = 1 ]; then
	if real_qemu_ready; then
		write_config "$work/real.conf" "qemu-system-x86_64 -m 256M -machine accel=tcg \
-kernel $kernel -initrd initrd.img -append 'console=ttyS0 panic=-1'"
		kinds="$kinds real"
	else
		say "handoff.sh: no real qemu row: $why_real"
	fi
fi
say "handoff.sh: spawn cost of \`sh -c 'date +%s.%N'\` (fork to clock): $("$STANDIN" --spawn-cost 50 'date +%s.%N')"

for kind in $kinds; do
	: >"$work/lat-$kind"
	: >"$work/time-$kind"
	n=$runs
	[ "$kind" = term ] && n=$(( (runs + 2) / 3 ))
	[ "$kind" = real ] && n=$real_runs
	i=0
	for c in $culprits $culprits; do
		[ "$i" -ge "$n" ] && break
		say "handoff.sh: $kind: run $((i + 1)) of $n, culprit c$c"
		bisect "$kind" "$kind" "$c"
		i=$((i + 1))
	done
done

printf '| qemu | steps | latency: median | max | decided -> qemu stopped (median) | qemu stopped -> next build (median) | halve run per step: wall (CPU) | under 100 ms |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---|\n'
for kind in $kinds; do
	case $kind in
	qmp) row qmp "stand-in, QMP quit" ;;
	term) row term "stand-in, no QMP (SIGTERM)" ;;
	real) row real "real qemu, TCG (from console.log mtime)" ;;
	esac
done

[ "$do_trace" = 1 ] || exit 0
command -v strace >/dev/null 2>&1 || die "--trace needs strace"

# One traced bisection per kind: the moments of each step from halve's
# syscalls, the median of each segment in ms. The decision is halve's QMP
# connect(), made the moment a rule matched (it fails at once when no QMP
# is served, but it is made).
printf '\n| qemu (under strace) | steps | decided -> qemu reaped | -> verdict file | -> marked (BISECT_LOG) | -> checked out (HEAD) | -> build forked | -> build runs | total |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for kind in $kinds; do
	[ "$kind" = real ] && continue
	: >"$work/lat-trace"
	: >"$work/time-trace"
	say "handoff.sh: $kind: traced run"
	bisect trace "$kind" 7 strace -f --seccomp-bpf -ttt -o "$work/strace-$kind" \
		-e trace=connect,wait4,rename,clone,clone3
	awk '$2 == "build" { print $3 }' "$work/stamps" >"$work/builds-$kind"
	awk '
		FNR == NR { bld[++nb] = $1; next }
		FNR == 1 { halve = $1 }		# its children come later
		$1 != halve { next }
		/ connect\(/ { con[++nc] = $2 }
		/ wait4\(.* = [1-9][0-9]*$/ { w[++nw] = $2 }
		/ rename\(.*\/verdict"\)/ { v[++nv] = $2 }
		/ rename\(.*\/BISECT_LOG"\)/ { m[++nm] = $2 }
		/ rename\(.*\/HEAD.lock"/ { h[++nh] = $2 }
		/ clone/ { f[++nf] = $2 }
		END {
			# per step i: reaps build (2i-1) and boot (2i); forks the
			# same; the next build is fork 2i+1 and build i+1
			for (i = 1; i < nb && i <= nc; i++)
				printf "%.3f %.3f %.3f %.3f %.3f %.3f %.3f\n",
					(w[2 * i] - con[i]) * 1000, (v[i] - w[2 * i]) * 1000,
					(m[i] - v[i]) * 1000, (h[i] - m[i]) * 1000,
					(f[2 * i + 1] - h[i]) * 1000, (bld[i + 1] - f[2 * i + 1]) * 1000,
					(bld[i + 1] - con[i]) * 1000
		}' "$work/builds-$kind" "$work/strace-$kind" >"$work/split-$kind"
	set --
	for k in 1 2 3 4 5 6 7; do
		# shellcheck disable=SC2046
		set -- "$@" "$(median $(col "$k" "$work/split-$kind")) ms"
	done
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$kind" "$(wc -l <"$work/split-$kind")" "$@"
done
