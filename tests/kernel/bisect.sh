# tests/kernel/bisect.sh: the kernel rig for real (make check-kernel, not
# make check: it builds Linux several times and boots it under qemu).
# Debian's linux-source-6.1 tree made a git repository, five commits on
# top of it of which the third breaks /proc/cmdline (an off-by-one that
# drops its first character), `halve setup kernel --tinyconfig --test`,
# then `halve start` and `halve run` find that commit with real builds and
# real boots. The wall time of setup and of the run are printed as
# comments (HALVE_KERNEL_SRC: an unpacked tree to copy instead of
# unpacking /usr/src/linux-source-6.1.tar.xz).
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

TARBALL=/usr/src/linux-source-6.1.tar.xz
if [ -n "${HALVE_KERNEL_SRC:-}" ]; then
	[ -f "$HALVE_KERNEL_SRC/Makefile" ] ||
		bail_out "HALVE_KERNEL_SRC=$HALVE_KERNEL_SRC holds no Linux tree"
	cp -a "$HALVE_KERNEL_SRC" linux || bail_out "cannot copy $HALVE_KERNEL_SRC"
elif [ -r "$TARBALL" ]; then
	tar xf "$TARBALL" && mv linux-source-6.1 linux ||
		bail_out "cannot unpack $TARBALL"
else
	skip_all "no Linux tree ($TARBALL: install linux-source-6.1, or set HALVE_KERNEL_SRC)"
fi
halve doctor >"$TEST_DIR/doctor.txt" 2>&1 ||
	skip_all "halve doctor says the rig cannot run here: $(grep -w missing "$TEST_DIR/doctor.txt" | tr '\n' ' ')"

# Debian's packaging ignores everything at the top of the tree; the rest
# of .gitignore is the kernel's own
sed -i '/^# Debian packaging: ignore everything/,$d' linux/.gitignore
repo_new linux
repo_tick
git add -A && git commit -qm "Linux 6.1 (Debian's linux-source-6.1)" ||
	bail_out "cannot commit the tree"
git tag base

# change FILE SED-SCRIPT SUBJECT: one commit that really changes FILE
change() {
	sed -i "$2" "$1"
	git diff --quiet -- "$1" && bail_out "$3: $1 did not change"
	repo_tick
	git commit -qam "$3" || bail_out "cannot commit $3"
}
change Documentation/admin-guide/README.rst '$a halve test: a note' "Documentation: a note"
git tag c1
change kernel/sys.c '1s|^|/* halve test: a comment */\n|' "sys: a comment"
git tag c2
change fs/proc/cmdline.c 's/seq_puts(m, saved_command_line);/seq_puts(m, saved_command_line + 1);/' \
	"proc: cmdline: skip the separator"
git tag c3
change lib/string.c '1s|^|/* halve test: another comment */\n|' "lib/string: a comment"
git tag c4
change init/main.c '1s|^|/* halve test: a third comment */\n|' "init: a comment"
git tag c5

cat >"$TEST_DIR/t.sh" <<'EOF'
#!/bin/sh
# the guest's test: qemu's -append starts with console=ttyS0
read -r line </proc/cmdline
case $line in
console=ttyS0*) exit 0 ;;
*) echo "unexpected /proc/cmdline: $line"; exit 1 ;;
esac
EOF
chmod +x "$TEST_DIR/t.sh"

t0=$(date +%s)
capture halve setup kernel --tinyconfig --test "$TEST_DIR/t.sh"
t1=$(date +%s)
is "$rc" 0 "setup kernel --tinyconfig --test t.sh"
[ "$rc" -eq 0 ] || diag "$err"
diag "setup took $((t1 - t0)) s"
RIG=$(pwd -P)/.git/halve/rig

ok -m "halve start c5 base" halve start c5 base
t0=$(date +%s)
capture halve run
t1=$(date +%s)
diag "halve run took $((t1 - t0)) s"
printf '%s\n' "$out" | sed -n '/^Bisecting\|^\[\|: build\|: boot\|first bad/p' | sed 's/^/# /'
is "$rc" 0 "halve run: exit 0"
is "$(found_in "$out")" "$(sha c3)" "halve run names the commit that broke /proc/cmdline"
ok -m "a guest printed the broken line" \
	grep -q 'unexpected /proc/cmdline: onsole=ttyS0' -r .git/halve/steps --include=console.log
ok -m "a guest passed the test" grep -q '^RESULT: OKAY' -r .git/halve/steps --include=console.log
for v in .git/halve/steps/*/verdict; do
	diag "$(sed -n 's/^commit \(.\{12\}\).*/\1/p; s/^verdict //p; s/^build-ms /build ms /p; s/^boot-ms /boot ms /p' "$v" | tr '\n' ' ')"
done
ok -m "halve reset" halve reset
ok -m "the rig's config outlives the session" test -f "$RIG/config"
ok -m "and its build directory" test -f "$RIG/build/arch/x86/boot/bzImage"

done_testing
