#!/bin/sh
# bench/kernel-rig.sh: a whole kernel bisection with halve's rig against a
# seed-style `git bisect run` script (checkout, make olddefconfig, make
# bzImage, boot in qemu, grep the verdict line), on the same Linux tree,
# the same commits, the same .config and the same qemu line, each from a
# cold start (empty build directory; for halve an empty ccache too), one
# after the other in one run. Prints the wall time of each, its steps, the
# objects each step compiled (kbuild's "  CC " lines) and where halve's
# time went.
#
# The history: Debian's linux-source-6.1 as one commit, then 32 commits
# of the kinds a kernel range holds: .c files the configuration builds,
# files it does not (drivers, other filesystems, networking, docs), and
# four changes to headers most of the kernel includes (kernel.h, fs.h,
# sched.h, mm.h: a static inline function each, so the objects really
# change). The 22nd commit breaks /proc/cmdline (an off-by-one); the
# guest's test reads it.
#
#   HALVE_KERNEL_SRC  an unpacked Linux 6.1 tree (default: unpack
#                     /usr/src/linux-source-6.1.tar.xz)
#   BENCH_REPOS       where the work goes (the tree is copied there twice
#                     over: about 4 GB with both build directories)
#   JOBS              make -j for both sides (default: the CPUs)
set -eu
. "$(dirname "$0")/lib.sh"
HALVE=$(find_halve)
JOBS=${JOBS:-$(getconf _NPROCESSORS_ONLN)}
W=$BENCH_REPOS/kernel-rig
TARBALL=/usr/src/linux-source-6.1.tar.xz

rm -rf "$W"
mkdir -p "$W"
cd "$W"
if [ -n "${HALVE_KERNEL_SRC:-}" ]; then
	cp -a "$HALVE_KERNEL_SRC" linux
elif [ -r "$TARBALL" ]; then
	tar xf "$TARBALL" && mv linux-source-6.1 linux
else
	die "no Linux tree: install linux-source-6.1 or set HALVE_KERNEL_SRC"
fi
cd linux
sed -i '/^# Debian packaging: ignore everything/,$d' .gitignore
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com \
	GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
git init -q -b main .
git add -A
git commit -qm "Linux 6.1 (Debian's linux-source-6.1)"
git tag base

# header FILE GUARD N: a static inline function inside FILE's guard
header() {
	sed -i "/^#define $2\$/a static inline int halve_bench_$3(void) { return $3; }" "$1"
}
# code FILE N: an object of its own changes
code() { printf '\nint halve_bench_%s;\n' "$2" >>"$1"; }
# other FILE N: a file the configuration does not compile
other() { printf '\n/* halve bench %s */\n' "$2" >>"$1"; }

i=0
for kind in c u c u H:kernel c u c c u u H:fs c u c u c u c H:sched u \
	BUG c u c c u H:mm c u c u; do
	i=$((i + 1))
	case $kind in
	H:kernel) header include/linux/kernel.h _LINUX_KERNEL_H $i ;;
	H:fs) header include/linux/fs.h _LINUX_FS_H $i ;;
	H:sched) header include/linux/sched.h _LINUX_SCHED_H $i ;;
	H:mm) header include/linux/mm.h _LINUX_MM_H $i ;;
	BUG) sed -i 's/seq_puts(m, saved_command_line);/seq_puts(m, saved_command_line + 1);/' \
		fs/proc/cmdline.c ;;
	c)
		set -- kernel/sys.c lib/string.c init/main.c mm/memory.c kernel/fork.c \
			fs/open.c kernel/printk/printk.c fs/namei.c
		eval "f=\${$((i % 8 + 1))}"
		code "$f" $i ;;
	u)
		set -- drivers/gpu/drm/i915/i915_driver.c fs/ext4/super.c net/ipv4/tcp.c \
			sound/core/pcm.c Documentation/admin-guide/README.rst
		eval "f=\${$((i % 5 + 1))}"
		other "$f" $i ;;
	esac
	git commit -qam "bench: $kind $i"
	git tag "c$i"
done
culprit=$(git rev-parse c22)

cat >"$W/t.sh" <<'EOF'
#!/bin/sh
read -r line </proc/cmdline
case $line in
console=ttyS0*) exit 0 ;;
*) echo "unexpected /proc/cmdline: $line"; exit 1 ;;
esac
EOF
chmod +x "$W/t.sh"

machine >&2
say "== setup"
t0=$(now_ns)
"$HALVE" setup kernel --tinyconfig --test "$W/t.sh" --jobs "$JOBS" >"$W/setup.out"
t1=$(now_ns)
setup_s=$(secs "$t0" "$t1")
RIG=$(git rev-parse --git-common-dir)/halve/rig
RIG=$(cd "$RIG" && pwd -P)
qemu_opts=$(sed -n 's/^qemu = qemu-system-x86_64 \(.*\)$/\1/p' "$RIG/config")

# The script's side: its own build directory with the rig's .config, the
# qemu line's machine, memory and CPUs, no ccache, git's own bisect.
mkdir -p "$W/script-build"
cp "$RIG/build/.config" "$W/script-build/.config"
cat >"$W/seed-run.sh" <<EOF
#!/bin/sh
# as the seed's author wrote it: build, boot, read the verdict
make O=$W/script-build olddefconfig >>$W/script-make.log 2>&1 || exit 125
make O=$W/script-build -j$JOBS bzImage >>$W/script-make.log 2>&1 || exit 125
echo "== step \$(git rev-parse HEAD)" >>$W/script-make.log
timeout 600 qemu-system-x86_64 $qemu_opts -kernel $W/script-build/arch/x86/boot/bzImage \\
	-append "console=ttyS0 panic=-1" -nographic -no-reboot >$W/serial.log 2>&1 </dev/null
grep -q '^RESULT: OKAY' $W/serial.log && exit 0
grep -q '^RESULT: FAILED' $W/serial.log && exit 1
exit 125
EOF
chmod +x "$W/seed-run.sh"

say "== the seed-style script"
: >"$W/script-make.log"
t0=$(now_ns)
git bisect start c32 base >/dev/null
git bisect run "$W/seed-run.sh" >"$W/script.out" 2>&1
t1=$(now_ns)
script_s=$(secs "$t0" "$t1")
script_found=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit$/\1/p' "$W/script.out")
script_steps=$(grep -c '^== step' "$W/script-make.log")
script_cc=$(grep -c '^  CC ' "$W/script-make.log" || true)
git bisect reset >/dev/null 2>&1

say "== halve with the rig"
export CCACHE_DIR="$W/ccache"	# cold: the script had none
t0=$(now_ns)
"$HALVE" start c32 base >/dev/null
"$HALVE" run >"$W/halve.out" 2>&1
t1=$(now_ns)
halve_s=$(secs "$t0" "$t1")
halve_found=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit$/\1/p' "$W/halve.out")
steps_dir=$(git rev-parse --git-common-dir)/halve/steps
halve_steps=$(ls "$steps_dir" | wc -l)
halve_cc=$(cat "$steps_dir"/*/build.log | grep -c '^  CC ' || true)
build_ms=$(cat "$steps_dir"/*/verdict | awk '$1 == "build-ms" { s += $2 } END { print s + 0 }')
boot_ms=$(cat "$steps_dir"/*/verdict | awk '$1 == "boot-ms" { s += $2 } END { print s + 0 }')
per_step=$(for v in "$steps_dir"/*/verdict; do
	d=${v%/verdict}
	printf '#   %.12s %s build %s ms, boot %s ms, %s CC\n' "$(sed -n 's/^commit //p' "$v")" \
		"$(sed -n 's/^verdict //p' "$v")" "$(sed -n 's/^build-ms //p' "$v")" \
		"$(sed -n 's/^boot-ms //p' "$v")" "$(grep -c '^  CC ' "$d/build.log" || true)"
done)
"$HALVE" reset >/dev/null 2>&1

echo "# kernel rig against a seed-style script (Linux 6.1 tinyconfig, 33 commits, -j$JOBS)"
printf '%-22s %10s %6s %10s %s\n' side wall_s steps cc_lines found
printf '%-22s %10s %6s %10s %s\n' "git bisect run script" "$script_s" "$script_steps" "$script_cc" \
	"$([ "$script_found" = "$culprit" ] && echo right || echo "WRONG ($script_found)")"
printf '%-22s %10s %6s %10s %s\n' "halve run (rig)" "$halve_s" "$halve_steps" "$halve_cc" \
	"$([ "$halve_found" = "$culprit" ] && echo right || echo "WRONG ($halve_found)")"
echo "# halve: setup $setup_s s (not in its wall time), builds $((build_ms / 1000)) s, boots $((boot_ms / 1000)) s"
awk -v a="$halve_s" -v b="$script_s" 'BEGIN { printf "# halve / script wall time: %.2f (goal <= 0.80)\n", a / b }'
echo "# per step, halve (in commit order):"
printf '%s\n' "$per_step"
echo "# per step, the script: CC lines"
awk '/^  CC / { n++ } /^== step/ { printf "#   %.12s %d CC\n", $3, n; n = 0 }' "$W/script-make.log"
echo "# load: $(uptime)"
