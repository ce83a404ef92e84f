#!/bin/sh
# setup.sh: makes a fresh Debian 12 machine ready to build, test and run
# halve: installs the packages (with sudo unless root; clang and its
# runtime are for `make fuzz` only), then configures and builds in this
# directory. Safe to run again.
set -eu
cd "$(dirname "$0")"

packages="build-essential git autoconf automake libtool pkg-config
	libgit2-dev libvterm-dev libpcre2-dev libncurses-dev
	qemu-system-x86 linux-image-cloud-amd64 busybox-static cpio tmux
	clang libclang-rt-14-dev
	flex bison bc libelf-dev libssl-dev ccache xz-utils distcc distcc-pump icecc"

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing
fi

[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure
make -j"$(nproc)"
