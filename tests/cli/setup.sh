# tests/cli/setup.sh: `halve setup kernel` on a fake Linux tree (the files
# setup looks at, and a Makefile whose config targets write $(O)/.config):
# the pipeline config, the guest and the qemu line it writes, the options
# the guest needs checked after olddefconfig, the rig surviving `halve
# reset`, and every bad input refused with one line and nothing written.
# No kernel is built here; tests/kernel/bisect.sh (make check-kernel) does.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/rig.sh" || exit 99

# The tools setup looks for, on a PATH of our own: stubs, but for make
# and what the fake tree's recipes run.
rig_require_busybox
rig_bin "$TEST_DIR/bin" gcc flex bison bc ccache
for t in make sh sed grep cat rm mv cp mkdir chmod; do
	ln -s "$(command -v "$t")" "$BIN/$t"
done
MAKE_LOG=$TEST_DIR/make.log
export MAKE_LOG

setup() {
	PATH=$BIN "$HALVE" setup "$@"
}

rig_fake_tree linux
RIG=$(pwd -P)/.git/halve/rig

# --- bad input: one line, non-zero, nothing written -----------------------
refused "no subject" setup
refused "an unknown option" setup kernel --frobnicate
is "$rc" 129 "an unknown option is a usage error (129)"
refused "two config sources" setup kernel --tinyconfig --defconfig
refused "a bad --jobs" setup kernel --jobs 0
chmod -x "$TEST_DIR/t.sh"
refused "a test that is not executable" setup kernel --tinyconfig --test "$TEST_DIR/t.sh"
like "$err" 'not executable' "it says the test is not executable"
chmod +x "$TEST_DIR/t.sh"
refused "a test that is not there" setup kernel --test "$TEST_DIR/none.sh"
refused "a --config that is not there" setup kernel --config "$TEST_DIR/none.config"
refused "a disk image that is not there" setup kernel --rootfs "$TEST_DIR/none.img"
mv "$BIN/gcc" "$BIN/gcc.off"
refused "no compiler" setup kernel --tinyconfig
like "$err" 'no C compiler' "it says there is no compiler"
mv "$BIN/gcc.off" "$BIN/gcc"
mv "$BIN/busybox" "$BIN/busybox.off"
refused "no busybox for --rootfs busybox" setup kernel --tinyconfig
like "$err" 'busybox-static' "it names the package to install"
ln -s "$(command -v git)" "$BIN/busybox"
refused "a dynamic busybox" setup kernel --tinyconfig
rm "$BIN/busybox"
mv "$BIN/busybox.off" "$BIN/busybox"
echo 'CONFIG_X=y' >.config
refused "a tree with a .config at its top" setup kernel --tinyconfig
like "$err" 'not clean' "it says the tree is not clean"
rm .config
mkdir -p include/config
refused "a tree with an in-tree build (include/config)" setup kernel --tinyconfig
rm -r include
echo SERIAL_8250_CONSOLE >drop-options
refused "a config that cannot boot in qemu" setup kernel --tinyconfig
like "$err" 'CONFIG_SERIAL_8250_CONSOLE=y did not stick' "it names the option that did not stick"
rm drop-options "$MAKE_LOG"
mkdir "$TEST_DIR/plain" && cd "$TEST_DIR/plain"
refused "outside a git repository" setup kernel --tinyconfig
git init -q . && echo x >x
refused "not a kernel tree" setup kernel --tinyconfig
like "$err" 'not a Linux source tree' "it says what it looked for"
cd "$TEST_DIR/linux"

before=$(listing .)
capture setup kernel --help
is "$rc" 0 "setup kernel --help: exit 0"
like "$out" '^  --tinyconfig ' "it explains the options"
is "$(listing .)" "$before" "and writes nothing"

# --- the rig ---------------------------------------------------------------
capture setup kernel --tinyconfig --test "$TEST_DIR/t.sh"
is "$rc" 0 "setup kernel --tinyconfig --test: exit 0"
is "$err" "" "and nothing on stderr (no terminal: no progress)"
ok -m "the config is written in the rig" test -f "$RIG/config"
is "$(printf '%s\n' "$out" | sed -n '/^# The rig is in /q;p' | sed '$d')" "$(cat "$RIG/config")" \
	"stdout is the config (then comments)"
ok -m "halve checks the config it wrote" halve start --config "$RIG/config" --no-checkout HEAD HEAD~1
halve reset >/dev/null 2>&1
cfg=$(cat "$RIG/config")
like "$cfg" "make 'O=$RIG/build' 'CC=ccache gcc' 'HOSTCC=ccache gcc' olddefconfig &&" \
	"build: olddefconfig in the out-of-tree build directory, through ccache"
like "$cfg" "'HOSTCC=ccache gcc' -j[0-9]+ bzImage" "build: bzImage with -j"
like "$cfg" "KBUILD_BUILD_TIMESTAMP='[^']+' KBUILD_BUILD_USER=halve" "build: the timestamp and user pinned"
like "$cfg" 'KBUILD_BUILD_HOST=halve KBUILD_BUILD_VERSION=1' "build: the host and version pinned"
like "$cfg" '^qemu = qemu-system-x86_64 -machine accel=tcg -m [0-9]+M -smp [0-9]+$' \
	"boot: TCG when KVM does not run a guest, memory and CPUs"
like "$cfg" "-kernel '$RIG/build/arch/x86/boot/bzImage'" "boot: the build directory's bzImage"
like "$cfg" '-append "console=ttyS0 panic=-1"' "boot: the serial console"
like "$cfg" '^# TCG: no usable KVM here' "the config says why not KVM"
like "$cfg" '^good = \^RESULT: OKAY$' "verdict: good"
like "$cfg" '^bad  = \^RESULT: FAILED$' "verdict: bad"
like "$cfg" '^skip = \^RESULT: SKIP$' "verdict: skip"
like "$cfg" "^build-dir = $RIG/build\$" "bisect: the cost-aware choice reads the build directory"
dot=$(cat "$RIG/build/.config")
for o in 64BIT PRINTK TTY SERIAL_8250 SERIAL_8250_CONSOLE BINFMT_ELF BINFMT_SCRIPT \
	PROC_FS SYSFS DEVTMPFS DEVTMPFS_MOUNT BLK_DEV_INITRD; do
	like "$dot" "^CONFIG_$o=y\$" ".config: CONFIG_$o built in"
done
like "$dot" "^CONFIG_INITRAMFS_SOURCE=\"$RIG/initramfs.list\"\$" ".config: the rig's initramfs"
like "$dot" '^CONFIG_FROM_tinyconfig=y$' ".config: made by make tinyconfig"
unlike "$dot" '^CONFIG_9P_FS=y$' ".config: no 9p for a busybox guest"
is "$(cat "$MAKE_LOG")" "tinyconfig CC=ccache gcc
olddefconfig CC=ccache gcc" "make ran tinyconfig then olddefconfig, through ccache"
list=$(cat "$RIG/initramfs.list")
like "$list" "^file /bin/busybox $(readlink -f "$BUSYBOX") 0755 0 0\$" "initramfs: busybox, where it really is"
like "$list" "^file /init $RIG/guest/init 0755 0 0\$" "initramfs: the init"
like "$list" "^file /test $RIG/guest/test 0755 0 0\$" "initramfs: the test"
like "$list" '^nod /dev/console 0600 0 0 c 5 1$' "initramfs: a console"
ok -m "the test is copied into the rig" cmp "$TEST_DIR/t.sh" "$RIG/guest/test"
ok -m "executable" test -x "$RIG/guest/test"
init=$(cat "$RIG/guest/init")
like "$init" '^mount -t proc proc /proc$' "init mounts /proc"
like "$init" '^mount -t devtmpfs devtmpfs /dev' "init mounts /dev"
like "$init" '^/test$' "init runs the test"
like "$init" "0\) echo 'RESULT: OKAY'" "init prints the verdict line"
like "$init" '^reboot -f$' "init ends the guest"
ok -m "busybox runs the init" "$BUSYBOX" sh -n "$RIG/guest/init"

# --- it survives reset, and start finds it --------------------------------
echo objects >"$RIG/build/vmlinux.o"
halve start HEAD HEAD~1 >/dev/null 2>&1
ok -m "start copies the rig's config into the session" cmp "$RIG/config" .git/halve/config
ok -m "halve reset" halve reset
is "$(cat "$RIG/config")" "$cfg" "reset keeps the rig's config"
ok -m "and its build directory" test -f "$RIG/build/vmlinux.o"

# --- again: the build directory is kept, a bad run changes nothing -------
capture setup kernel --defconfig --jobs 3 --no-ccache
is "$rc" 0 "setup again with --defconfig --jobs 3 --no-ccache"
ok -m "the earlier build directory's objects are kept" test -f "$RIG/build/vmlinux.o"
like "$(cat "$RIG/build/.config")" '^CONFIG_FROM_defconfig=y$' "with the new .config"
like "$(cat "$RIG/config")" "make 'O=$RIG/build' -j3 bzImage" "-j3 and no ccache"
ok -m "no test: nothing copied" test ! -e "$RIG/guest/test"
like "$(cat "$RIG/guest/init")" '^rc=0$' "no test: a boot is good"
before=$(listing "$RIG")
echo BLK_DEV_INITRD >drop-options
fails -m "a config that cannot boot is refused" setup kernel --tinyconfig
is "$(listing "$RIG")" "$before" "and the rig in place is untouched"
is "$(ls .git/halve | grep -c '^rig')" 1 "no half-made rig is left"
rm drop-options

# --- the other guests -------------------------------------------------------
mv "$BIN/busybox" "$BIN/busybox.off"
capture setup kernel --tinyconfig --rootfs host --test "$TEST_DIR/t.sh"
is "$rc" 0 "--rootfs host needs no busybox"
cfg=$(cat "$RIG/config")
like "$cfg" "-fsdev 'local,id=root,path=/,security_model=none,readonly=on' -device virtio-9p-pci,fsdev=root,mount_tag=/dev/root" \
	"host: / shared read-only over 9p"
like "$cfg" "mount_tag=root\$" "host: under the tag 6.1 asks for too"
like "$cfg" "root=/dev/root rootfstype=9p .* ro init=$RIG/guest/init\"" "host: booted from it, our init"
dot=$(cat "$RIG/build/.config")
for o in 9P_FS NET_9P_VIRTIO INET VIRTIO_PCI TMPFS MAGIC_SYSRQ; do
	like "$dot" "^CONFIG_$o=y\$" "host: CONFIG_$o built in"
done
like "$dot" '^CONFIG_INITRAMFS_SOURCE=""$' "host: no initramfs"
ok -m "host: no initramfs list" test ! -e "$RIG/initramfs.list"
like "$(cat "$RIG/guest/init")" "^chroot \\\$root $RIG/guest/test\$" "host: the test runs in the overlaid root"
ok -m "host: the init is a shell script" sh -n "$RIG/guest/init"
mv "$BIN/busybox.off" "$BIN/busybox"
printf 'QFI\373rest' >"$TEST_DIR/disk.qcow2"
capture setup kernel --tinyconfig --rootfs "$TEST_DIR/disk.qcow2" --test "$TEST_DIR/t.sh"
is "$rc" 0 "--rootfs IMAGE"
cfg=$(cat "$RIG/config")
like "$cfg" "-drive 'file=$TEST_DIR/disk.qcow2,format=qcow2,if=virtio,snapshot=on'" \
	"image: the disk, its format, changes thrown away"
like "$cfg" "mount_tag=halve" "image: the test on a 9p share"
like "$(cat "$RIG/guest/init")" '^chroot /newroot /mnt/halve/test$' "image: the test runs in the image"
like "$(cat "$RIG/build/.config")" '^CONFIG_VIRTIO_BLK=y$' "image: CONFIG_VIRTIO_BLK built in"
unlike "$(cat "$RIG/initramfs.list")" '^file /test ' "image: the test is not in the initramfs"
printf 'CONFIG_MINE=y\n' >"$TEST_DIR/my.config"
capture setup kernel --config "$TEST_DIR/my.config"
is "$rc" 0 "--config FILE"
like "$(cat "$RIG/build/.config")" '^CONFIG_MINE=y$' "the file is the .config's start"
like "$(cat "$RIG/build/.config")" '^CONFIG_SERIAL_8250_CONSOLE=y$' "completed with what the guest needs"

done_testing
