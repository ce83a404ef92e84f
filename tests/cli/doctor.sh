# tests/cli/doctor.sh: `halve doctor` on a PATH the test makes, so that
# what is missing is known: every check on its own line with its state and
# the Debian package, exit 0 only when the rig can run, --porcelain's
# fields, a busybox that is not static counted as missing, distcc hosts
# that answer (a real distccd) or not, icecc without its daemon.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/rig.sh" || exit 99

rig_require_busybox
rig_bin "$TEST_DIR/bin" gcc make flex bison bc ccache distcc
if command -v distccd >/dev/null; then
	rig_distccd	# a host that answers
fi

doctor() {
	env -u DISTCC_HOSTS PATH="$BIN" HOME="$TEST_DIR" "$HALVE" doctor "$@"
}

# the headers are the machine's: the exit status follows from them
headers_there=yes
[ -f /usr/include/gelf.h ] || headers_there=no

repo_new
capture doctor --porcelain
for name in qemu kvm busybox compiler make flex bison bc libelf openssl ccache distcc icecc disk; do
	like "$out" "^$name	(ok|missing|lacking)	[^	]+	.+\$" "porcelain: a line for $name, state, package, detail"
done
like "$out" "^qemu	ok	qemu-system-x86	$BIN/qemu-system-x86_64\$" "qemu found on PATH"
like "$out" '^kvm	lacking	qemu-system-x86	' "a KVM qemu cannot use is lacking, not missing"
like "$out" "^busybox	ok	busybox-static	" "a static busybox"
like "$out" '^icecc	lacking	icecc	no icecc on PATH$' "icecc lacking, with its package"
# the machine's /etc/distcc/hosts is the last place distcc looks
if ! grep -qs '^[^#[:space:]]' /etc/distcc/hosts; then
	like "$out" '^distcc	ok	distcc	no hosts configured' "distcc there, but no hosts"
fi
like "$out" "^disk	(ok|lacking|missing)	-	[0-9.]+ GiB free for $(pwd -P)/.git/halve/rig" \
	"the free disk where the rig's build directory goes"
if [ $headers_there = yes ]; then
	is "$rc" 0 "exit 0: the rig can run (TCG)"
fi

mkdir -p "$TEST_DIR/.distcc"
if [ -n "${DISTCCD_PORT:-}" ]; then
	printf '# the test'"'"'s\nlocalhost/2 127.0.0.1:%s/4 # a real distccd\n' \
		"$DISTCCD_PORT" >"$TEST_DIR/.distcc/hosts"
	capture doctor --porcelain
	like "$out" "^distcc	ok	distcc	hosts $TEST_DIR/.distcc/hosts: localhost/2 127.0.0.1:$DISTCCD_PORT/4\$" \
		"distcc's hosts from ~/.distcc/hosts (comments dropped), every one answering"
fi
echo "localhost/2 127.0.0.1:1/8" >"$TEST_DIR/.distcc/hosts"
capture doctor --porcelain
like "$out" "^distcc	lacking	distcc	hosts $TEST_DIR/.distcc/hosts: localhost/2 127.0.0.1:1/8; not answering: 127.0.0.1:1: Connection refused\$" \
	"a host that does not answer: lacking, and which"
capture env DISTCC_HOSTS="127.0.0.1:1" PATH="$BIN" HOME="$TEST_DIR" "$HALVE" doctor
like "$out" '^distcc +lacking +hosts \$DISTCC_HOSTS: 127.0.0.1:1; not answering' "\$DISTCC_HOSTS first"
like "$out" '^ +for distccd on the hosts that do not answer: apt-get install distcc$' \
	"with the package that has distccd"
if ! rig_iceccd_runs; then
	printf '#!/bin/sh\nexit 0\n' >"$BIN/icecc"
	chmod +x "$BIN/icecc"
	capture doctor --porcelain
	like "$out" '^icecc	lacking	icecc	no icecream daemon answers' "icecc without its daemon: lacking"
	rm "$BIN/icecc"
fi

rm "$BIN/qemu-system-x86_64" "$BIN/gcc"
capture doctor
is "$rc" 1 "exit 1 when something the rig needs is missing"
like "$out" '^qemu      missing  no qemu-system-x86_64 on PATH$' "qemu missing"
like "$out" '^ +for booting the guest: apt-get install qemu-system-x86$' "with the package to install"
like "$out" '^compiler  missing  no gcc or clang on PATH$' "no compiler"
like "$out" '^flex      ok ' "what is there is ok"
like "$out" 'cannot run here' "the last line says the rig cannot run"

rm "$BIN/busybox"
ln -s "$(command -v git)" "$BIN/busybox"
capture doctor --porcelain
like "$out" '^busybox	missing	busybox-static	.*not a static' "a dynamic busybox is missing"

capture doctor --bogus
is "$rc" 129 "an unknown option is a usage error"
is "$err" "halve: doctor: --bogus: unknown option" "one line says so"

done_testing
