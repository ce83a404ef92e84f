# tests/pipeline/lib.sh: what the pipeline tests share: the guest (a
# distribution kernel and a busybox initramfs booted by qemu under TCG),
# repositories whose commits each build such an initramfs, and the config
# that drives `halve run`. Source it after tests/lib/tap.sh and
# tests/lib/repo.sh.
#
#   pipeline_require          skips the whole file (1..0 # SKIP, exit 0)
#                             unless qemu-system-x86_64, a kernel, a static
#                             busybox and cpio are all here; under CI
#                             (HALVE_CI=1, see tap.sh) a missing one fails
#   guest_kernel              prints the kernel's path: $HALVE_KERNEL, else
#                             the highest-versioned /boot/vmlinuz-*
#   make_guest_repo MODE...   a new repository ($TEST_DIR/repo, replacing
#                             any earlier one; cd'd into) with one commit
#                             per MODE, tagged c1..cN
#   guest_commit SUBJECT MODE one more commit on the current branch
#   guest_merge BRANCH MODE   merges BRANCH (--no-ff), the result's tree
#                             behaving as MODE
#   guest_config FILE [KEY=VALUE]...
#                             writes a pipeline config (see below)
#   run_pipeline ARGS...      capture halve ARGS... with a safety timeout
#   step_dir REV              .git/halve/steps/<sha of REV>
#   verdict_of REV KEY        the value of KEY in REV's verdict file
#   console_line REV N        line N of REV's console.log, \r stripped
#   guest_mode REV            the MODE REV was made with
#   guest_bad REV             true when REV's guest prints RESULT: FAILED
#   env_qemu PATH             a qemu-system-x86_64 in front of the real one
#                             that adds halve_fail=1 to the kernel's
#                             command line when the work tree has a file
#                             BROKEN: the failure comes from outside the
#                             build (for flaky mode guests)
#   boots_of REV              how often flaky_qemu booted REV
#   flaky_qemu PATH           a qemu-system-x86_64 in front of the real one
#                             that counts the boots of each commit and
#                             adds halve_fail=1 to the kernel's command
#                             line on its 2nd, 4th, 6th... boot (each
#                             boot a directory $TEST_DIR/boots/<sha>/N;
#                             "start SHA" and "end SHA" lines in
#                             $TEST_DIR/boots.log)
#   write_hwm_script PATH     a script printing the peak RSS (kB) of the
#                             nearest halve process above it
#   processes_in DIR          live processes whose cwd is DIR (pid and
#                             command line), the test's shell aside; call
#                             it as $(cd / && processes_in DIR)
#
# MODE says what a commit does, at build time or in the guest:
#   okay | failed             the guest prints RESULT: OKAY / RESULT: FAILED
#   hang                      the guest says so once, then is silent forever
#   tick                      the guest prints a line a second, no verdict
#   panic                     the guest crashes the kernel through sysrq
#   flood[:N]                 N lines (default 10000), then RESULT: FAILED
#   flaky                     RESULT: FAILED when the kernel command line
#                             has halve_fail=1 (flaky_qemu puts it on
#                             every other boot), else RESULT: OKAY
#   buildfail                 build.sh exits 2 with an error message
#   noinitrd                  build.sh succeeds without making initrd.img
#   buildspew[:BYTES]+MODE    build.sh first prints BYTES (default 8 MiB)
#                             with no newline (then runs $TEST_DIR/hwm,
#                             if there is one, into $TEST_DIR/hwm.log),
#                             then builds MODE
# Every build appends "HALVE_COMMIT HEAD HALVE_STEP_DIR HALVE_GIT_DIR
# PWD" to $TEST_DIR/builds.log, so a test can check what halve built, in
# what order and with which environment.
#
# The config's defaults (each KEY=VALUE replaces one; verdict.good+= and
# verdict.bad+= add a rule; boot.qemu-prog= puts another program in
# qemu's place, boot.qemu-args+= appends to qemu's arguments):
#   [build] command ./build.sh, timeout 60s, failure skip
#   [boot]  qemu-system-x86_64 -m 256M -machine accel=tcg -kernel KERNEL
#           -initrd initrd.img -append "console=ttyS0 panic=-1" -no-reboot
#           timeout 60s, silence 30s, hang skip
#   [verdict] good ^RESULT: OKAY, bad ^RESULT: FAILED
# The kernel is not quiet: its boot messages keep the console busy, so a
# short silence limit only ever catches a guest that stopped talking.
#
# It must not: sleep, use KVM (TCG is what every machine has; set
# HALVE_TEST_ACCEL to try another), or write outside $TEST_DIR.

guest_kernel() {
	if [ -n "${HALVE_KERNEL:-}" ]; then
		printf '%s\n' "$HALVE_KERNEL"
		return
	fi
	for gk in $(ls /boot/vmlinuz-* 2>/dev/null | sort -V -r); do
		if [ -r "$gk" ]; then
			printf '%s\n' "$gk"
			return
		fi
	done
}

GUEST_BUSYBOX=${BUSYBOX:-/bin/busybox}

pipeline_require() {
	command -v qemu-system-x86_64 >/dev/null 2>&1 ||
		skip_all "qemu-system-x86_64 is not installed"
	GUEST_KERNEL=$(guest_kernel)
	[ -n "$GUEST_KERNEL" ] && [ -r "$GUEST_KERNEL" ] ||
		skip_all "no readable kernel (/boot/vmlinuz-* or \$HALVE_KERNEL)"
	[ -x "$GUEST_BUSYBOX" ] || skip_all "no busybox at $GUEST_BUSYBOX"
	# the guest has no libc: busybox must be the static one
	if LC_ALL=C ldd "$GUEST_BUSYBOX" 2>&1 | grep -q '=>'; then
		skip_all "$GUEST_BUSYBOX is dynamically linked (install busybox-static)"
	fi
	command -v cpio >/dev/null 2>&1 || skip_all "cpio is not installed"
	export GUEST_KERNEL
}

# The build every commit carries: the mode file says what it does.
guest_build_script() {
	cat <<EOF
#!/bin/sh
# build.sh: a pipeline test's build. Makes initrd.img (a newc cpio of
# busybox and this commit's init) unless build.mode says otherwise.
set -e
rm -f initrd.img
echo "\${HALVE_COMMIT:-none} \$(git rev-parse HEAD) \${HALVE_STEP_DIR:-none} \${HALVE_GIT_DIR:-none} \$(pwd -P)" >>'$TEST_DIR/builds.log'
mode=\$(cat build.mode)
case \$mode in
fail)
	echo "build: error: this commit does not build"
	exit 2 ;;
noinitrd)
	echo "build: done (no initrd.img this time)"
	exit 0 ;;
spew:*)
	echo "build: spewing \${mode#spew:} bytes without a newline"
	head -c "\${mode#spew:}" /dev/zero | tr '\\0' x
	echo
	# halve's peak memory so far, when the test asked for it
	if [ -x '$TEST_DIR/hwm' ]; then '$TEST_DIR/hwm' >>'$TEST_DIR/hwm.log'; fi ;;
esac
tmp=\$(mktemp -d "\${TMPDIR:-/tmp}/halve-guest.XXXXXX")
trap 'rm -rf "\$tmp"' EXIT
mkdir -p "\$tmp/root/bin" "\$tmp/root/proc" "\$tmp/root/sys" "\$tmp/root/dev"
cp '$GUEST_BUSYBOX' "\$tmp/root/bin/busybox"
ln -s busybox "\$tmp/root/bin/sh"
cp init "\$tmp/root/init"
chmod 755 "\$tmp/root/init"
echo "build: packing initrd.img"
# the same files make the same image, as a reproducible kernel build does
find "\$tmp/root" -exec touch -h -d @0 {} +
(cd "\$tmp/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) >"\$tmp/initrd.img"
mv "\$tmp/initrd.img" initrd.img
echo "build: done"
EOF
}

# The guest's /init for one MODE (the part after any build mode).
guest_init_script() {
	cat <<'EOF'
#!/bin/sh
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
EOF
	echo "echo 'guest: $1'"
	case $1 in
	okay)
		echo "echo 'RESULT: OKAY'" ;;
	failed)
		echo "echo 'RESULT: FAILED'" ;;
	hang)
		# only emergencies on the console from here on: truly silent
		echo 'echo 1 >/proc/sys/kernel/printk'
		echo "echo 'guest: hanging now'"
		echo 'exec $bb sleep 1000000' ;;
	tick)
		echo 'i=0; while :; do i=$((i + 1)); echo "guest: tick $i"; $bb sleep 1; done' ;;
	panic)
		echo 'echo c >/proc/sysrq-trigger' ;;
	flaky)
		# fails when the boot says so: see flaky_qemu
		echo "if \$bb grep -q halve_fail=1 /proc/cmdline; then echo 'RESULT: FAILED'; else echo 'RESULT: OKAY'; fi" ;;
	flood|flood:*)
		gn=${1#flood}
		gn=${gn#:}
		printf '%s\n' "\$bb awk 'BEGIN { for (i = 1; i <= ${gn:-10000}; i++) printf \"guest: flood line %d of ${gn:-10000}, filling the serial console\\n\", i }'"
		echo "echo 'RESULT: FAILED'" ;;
	*)
		bail_out "unknown guest mode: $1" ;;
	esac
	echo '$bb poweroff -f'
}

# Writes build.mode and init for MODE ($1) in the work tree, and stages
# them with MODE and the subject ($2) in the file MODE.
guest_files() {
	gf_mode=$1
	gf_build=normal
	case $gf_mode in
	buildfail)
		gf_build=fail
		gf_mode=okay ;;
	noinitrd)
		gf_build=noinitrd
		gf_mode=okay ;;
	buildspew*+*)
		gf_bytes=${gf_mode%%+*}
		gf_bytes=${gf_bytes#buildspew}
		gf_bytes=${gf_bytes#:}
		gf_build=spew:${gf_bytes:-8388608}
		gf_mode=${gf_mode#*+} ;;
	esac
	printf '%s\n' "$gf_build" >build.mode
	guest_init_script "$gf_mode" >init
	chmod 755 init
	# the subject too, so that two commits of one mode still differ
	printf '%s\n%s\n' "$1" "$2" >MODE
	if [ ! -e build.sh ]; then
		guest_build_script >build.sh
		chmod 755 build.sh
		printf 'initrd.img\n' >.gitignore
	fi
	git add build.sh .gitignore build.mode init MODE
}

guest_commit() {
	repo_tick
	guest_files "$2" "$1"
	git commit -q -m "$1" || bail_out "commit $1 failed"
}

guest_merge() {
	repo_tick
	git merge -q --no-ff --no-commit -s ours "$1" >/dev/null 2>&1 ||
		bail_out "merge of $1 failed"
	guest_files "$2" "Merge branch '$1'"
	git commit -q -m "Merge branch '$1'" || bail_out "merge commit of $1 failed"
}

make_guest_repo() {
	# always $TEST_DIR/repo: a test that needs a second one starts over
	cd "$TEST_DIR" || bail_out "cannot enter $TEST_DIR"
	rm -rf repo
	repo_new repo
	mg_i=0
	for mg_mode; do
		mg_i=$((mg_i + 1))
		guest_commit "c$mg_i: $mg_mode" "$mg_mode"
		git tag "c$mg_i"
	done
	: >"$TEST_DIR/builds.log"
}

guest_config() {
	gc_file=$1
	shift
	gc_build_command=./build.sh
	gc_build_timeout=60s
	gc_build_failure=skip
	gc_qemu_prog=qemu-system-x86_64
	gc_qemu_args=
	gc_boot_timeout=60s
	gc_boot_silence=30s
	gc_boot_hang=skip
	gc_good='^RESULT: OKAY'
	gc_bad='^RESULT: FAILED'
	gc_more=
	for gc_kv; do
		case $gc_kv in
		build.command=*) gc_build_command=${gc_kv#*=} ;;
		build.timeout=*) gc_build_timeout=${gc_kv#*=} ;;
		build.failure=*) gc_build_failure=${gc_kv#*=} ;;
		boot.qemu-prog=*) gc_qemu_prog=${gc_kv#*=} ;;
		boot.qemu-args+=*) gc_qemu_args="$gc_qemu_args ${gc_kv#*=}" ;;
		boot.timeout=*) gc_boot_timeout=${gc_kv#*=} ;;
		boot.silence=*) gc_boot_silence=${gc_kv#*=} ;;
		boot.hang=*) gc_boot_hang=${gc_kv#*=} ;;
		verdict.good+=*) gc_more="${gc_more}good = ${gc_kv#*=}
" ;;
		verdict.bad+=*) gc_more="${gc_more}bad = ${gc_kv#*=}
" ;;
		verdict.good=*) gc_good=${gc_kv#*=} ;;
		verdict.bad=*) gc_bad=${gc_kv#*=} ;;
		*) bail_out "guest_config: unknown setting $gc_kv" ;;
		esac
	done
	cat >"$gc_file" <<EOF
# written by tests/pipeline/lib.sh
[build]
command = $gc_build_command
timeout = $gc_build_timeout
failure = $gc_build_failure

[boot]
qemu    = $gc_qemu_prog -m 256M -machine accel=${HALVE_TEST_ACCEL:-tcg}
          -kernel $GUEST_KERNEL -initrd initrd.img
          -append "console=ttyS0 panic=-1" -no-reboot$gc_qemu_args
timeout = $gc_boot_timeout
silence = $gc_boot_silence
hang    = $gc_boot_hang

[verdict]
EOF
	[ -n "$gc_good" ] && printf 'good = %s\n' "$gc_good" >>"$gc_file"
	[ -n "$gc_bad" ] && printf 'bad  = %s\n' "$gc_bad" >>"$gc_file"
	printf '%s' "$gc_more" >>"$gc_file"
}

# A hung halve must not hang make check: 4 minutes is far beyond any of
# these runs, and only there to turn a hang into a failure.
run_pipeline() {
	capture timeout 240 "$HALVE" "$@"
	if [ "$rc" = 124 ]; then
		diag "halve $* was still running after 240s"
	fi
}

step_dir() {
	printf '%s/halve/steps/%s\n' "$(cd "$(git rev-parse --git-dir)" && pwd -P)" \
		"$(git rev-parse --verify -q "$1^{commit}")"
}

verdict_of() {
	[ -f "$(step_dir "$1")/verdict" ] || return 0
	awk -v k="$2" '$1 == k { sub(/^[^ ]+ ?/, ""); print }' "$(step_dir "$1")/verdict"
}

console_line() {
	sed -n "$2{s/\r*\$//;p;q}" "$(step_dir "$1")/console.log"
}

guest_mode() {
	git show "$1:MODE" | sed -n 1p
}

guest_bad() {
	case $(guest_mode "$1") in
	failed|*+failed|flood*|flaky) return 0 ;;
	esac
	return 1
}

# Rewrites -append's argument: the part both wrappers share.
qemu_wrapper_tail() {
	cat <<'EOF'
prev=
for a do
	shift
	if [ "$prev" = -append ]; then
		a="$a halve_fail=$fail"
	fi
	set -- "$@" "$a"
	prev=$a
done
echo "start $HALVE_COMMIT" >>"$BOOT_LOG"
qemu-system-x86_64 "$@"
rc=$?
echo "end $HALVE_COMMIT" >>"$BOOT_LOG"
exit $rc
EOF
}

env_qemu() {
	{
		printf '#!/bin/sh\n# qemu whose guest fails where the tree has BROKEN (tests/pipeline/lib.sh)\n'
		printf 'BOOT_LOG=/dev/null\nfail=0\n[ -e BROKEN ] && fail=1\n'
		qemu_wrapper_tail
	} >"$1"
	chmod 755 "$1"
}

boots_of() {
	ls "$TEST_DIR/boots/$(git rev-parse "$1")" 2>/dev/null | wc -l
}

flaky_qemu() {
	mkdir -p "$TEST_DIR/boots"
	cat >"$1" <<EOF
#!/bin/sh
# qemu for a guest that fails every other boot (tests/pipeline/lib.sh)
BOOT_LOG='$TEST_DIR/boots.log'
# the boot's number for this commit: mkdir is atomic, so boots running
# at once ([boot] slots) each get their own
d='$TEST_DIR/boots/'\$HALVE_COMMIT
mkdir -p "\$d"
n=1
while ! mkdir "\$d/\$n" 2>/dev/null; do n=\$((n + 1)); done
fail=\$((1 - n % 2))
EOF
	qemu_wrapper_tail >>"$1"
	chmod 755 "$1"
}

write_hwm_script() {
	cat >"$1" <<'EOF'
#!/bin/sh
# Peak RSS (VmHWM, kB) of the nearest halve above this process.
p=$$
while [ "$p" -gt 1 ]; do
	p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null) || break
	[ -n "$p" ] || break
	case $(cat "/proc/$p/comm" 2>/dev/null) in
	halve|lt-halve)
		awk '/^VmHWM:/ { print $2 }' "/proc/$p/status"
		exit 0 ;;
	esac
done
echo "no halve above $$" >&2
exit 1
EOF
	chmod 755 "$1"
}

processes_in() (
	# from / so that this subshell does not count; nor does the test's
	# own shell ($$), which may well be sitting in DIR
	cd / || exit 1
	for pi_p in /proc/[0-9]*; do
		[ "${pi_p#/proc/}" = "$$" ] && continue
		[ "$(readlink "$pi_p/cwd" 2>/dev/null)" = "$1" ] &&
			echo "${pi_p#/proc/} $(cat "$pi_p/cmdline" 2>/dev/null | tr '\0' ' ')"
	done
	exit 0
)
