# tests/lib/rig.sh: what the kernel rig's tests share (tests/cli/setup.sh,
# tests/cli/doctor.sh): a static busybox, and a PATH of the test's own
# where each tool is a stub, so that what is "installed" is known. Source
# it after tests/lib/tap.sh.
#
#   rig_require_busybox      skips the file unless busybox is static;
#                            sets BUSYBOX
#   rig_bin DIR TOOL...      makes DIR holding a stub for each TOOL (exits
#                            0), a qemu-system-x86_64 that fails (so KVM is
#                            never usable and the qemu line is TCG's on
#                            every machine) and busybox; sets BIN=DIR
#
# It must not write outside $TEST_DIR.

rig_require_busybox() {
	BUSYBOX=$(command -v busybox || true)
	[ -n "$BUSYBOX" ] && ! LC_ALL=C ldd "$BUSYBOX" 2>&1 | grep -q '=>' ||
		skip_all "no static busybox (install busybox-static)"
}

rig_bin() {
	BIN=$1
	shift
	mkdir "$BIN" || bail_out "cannot make $BIN"
	for t in "$@"; do
		printf '#!/bin/sh\nexit 0\n' >"$BIN/$t"
		chmod +x "$BIN/$t"
	done
	printf '#!/bin/sh\nexit 1\n' >"$BIN/qemu-system-x86_64"
	chmod +x "$BIN/qemu-system-x86_64"
	ln -s "$BUSYBOX" "$BIN/busybox"
}
