# tests/cli/distcc.sh: `halve setup kernel --distcc HOSTS` against a real
# distccd the test starts on 127.0.0.1: the config it writes (ccache in
# front, the mode and why, -j from distcc -j, the local build beside it),
# a build of the fake tree's kernel that distccd's log shows compiling,
# and every bad input (no distcc, a host that does not answer, hosts
# distcc cannot read, --distcc with --icecc) refused with one line and
# nothing written.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/rig.sh" || exit 99

rig_require_busybox
for t in gcc make ccache; do
	command -v $t >/dev/null || skip_all "no $t"
done
rig_distccd

rig_real_tree
HOSTS="127.0.0.1:$DISTCCD_PORT/3"

setup() {
	PATH=$REAL "$HALVE" setup "$@"
}

# --- bad input ------------------------------------------------------------
refused "no distcc on PATH" env PATH="$STUBS" "$HALVE" setup kernel --tinyconfig --distcc "$HOSTS"
like "$err" 'no distcc on PATH \(install distcc\)' "it names the package"
refused "a host that does not answer" setup kernel --tinyconfig --distcc "localhost/2 127.0.0.1:1/4"
like "$err" '^halve: setup: --distcc: 127.0.0.1:1/4: 127.0.0.1:1: Connection refused' \
	"it names the host and why"
refused "hosts distcc cannot read" setup kernel --tinyconfig --distcc "--randomize"
like "$err" 'distcc finds no host' "it says distcc finds no host"
refused "--distcc without hosts" setup kernel --tinyconfig --distcc ""
is "$rc" 129 "an empty host list is a usage error"
refused "--distcc with --icecc" setup kernel --tinyconfig --distcc "$HOSTS" --icecc
is "$rc" 129 "two distributed compilers are a usage error"
ok -m "(nothing was compiled on distccd yet)" test "$(grep -c COMPILE_OK "$DISTCCD_LOG")" = 0

# --- the rig: ccache in front of distcc -------------------------------------
capture setup kernel --tinyconfig --distcc "$HOSTS"
is "$rc" 0 "setup kernel --distcc HOSTS"
cfg=$(cat "$RIG/config")
like "$cfg" "^	KBUILD_BUILD_HOST=halve KBUILD_BUILD_VERSION=1
	DISTCC_HOSTS='$HOSTS' CCACHE_PREFIX=distcc &&\$" \
	"the build exports the hosts, and ccache hands compiles to distcc"
like "$cfg" "make 'O=$RIG/build' 'CC=ccache gcc' 'HOSTCC=ccache gcc' -j3 bzImage\$" \
	"-j3: distcc -j for one host taking 3 jobs"
like "$cfg" '^# -j3: distcc -j' "the config says where -j comes from"
like "$cfg" '^# distcc: plain mode: not every host takes ,cpp' "it says which mode and why"
like "$cfg" "^local = export KBUILD_BUILD_TIMESTAMP=" "the local build is there too"
local_cmd=$(rig_config_value "$RIG/config" local)
unlike "$local_cmd" 'distcc|DISTCC' "the local build does not go through distcc"
like "$local_cmd" "make 'O=$RIG/build' 'CC=ccache gcc' 'HOSTCC=ccache gcc' -j[0-9]+ bzImage\$" \
	"the local build: ccache, a job a CPU"
is "$(cat "$MAKE_LOG")" "tinyconfig CC=ccache gcc
olddefconfig CC=ccache gcc" "configuring ran locally"
ok -m "halve checks the config it wrote" halve start --config "$RIG/config" --no-checkout HEAD HEAD~1
halve reset >/dev/null 2>&1

cmd=$(rig_config_value "$RIG/config" command)
capture env PATH="$REAL" sh -c "$cmd"
is "$rc" 0 "the rig's build command builds the fake kernel"
ok -m "a bzImage" test -s "$RIG/build/arch/x86/boot/bzImage"
compiled=$(grep -c 'COMPILE_OK' "$DISTCCD_LOG")
is "$compiled" 3 "distccd's log shows the three compiles"
like "$(cat "$DISTCCD_LOG")" 'compile from k1.c to k1.o' "k1.c among them"

# --- pump mode: hosts with ,cpp and no ccache -------------------------------
# the machine's distcc-pump: Debian 12's include server fails on every file
# with Python 3.11 (distcc #454), which setup finds with a probe compile
if command -v distcc-pump >/dev/null; then
	capture setup kernel --tinyconfig --no-ccache --distcc "$HOSTS,cpp,lzo"
	is "$rc" 0 "setup kernel --no-ccache --distcc HOSTS,cpp,lzo"
	like "$(cat "$RIG/config")" '^# distcc: (pump mode: every host takes ,cpp|plain mode: distcc-pump.s include server fails here \(a probe compile was preprocessed locally)' \
		"pump mode, or plain mode when the probe finds the include server broken"
fi
# a distcc-pump that works: here, one that compiles in plain mode (no
# include server to fail)
mkdir "$TEST_DIR/pump"
printf '#!/bin/sh\nDISTCC_HOSTS=$(echo "$DISTCC_HOSTS" | sed s/,cpp//g) exec "$@"\n' \
	>"$TEST_DIR/pump/distcc-pump"
chmod +x "$TEST_DIR/pump/distcc-pump"
capture env PATH="$TEST_DIR/pump:$REAL" "$HALVE" setup kernel --tinyconfig --no-ccache \
	--distcc "$HOSTS,cpp,lzo"
cfg=$(cat "$RIG/config")
like "$cfg" '^# distcc: pump mode: every host takes ,cpp and distcc-pump is installed' \
	"with a working distcc-pump: pump mode, and why"
like "$cfg" "^	distcc-pump make 'O=$RIG/build' 'CC=distcc gcc' -j3 bzImage\$" \
	"the build runs under distcc-pump, through distcc"
unlike "$cfg" 'CCACHE_PREFIX' "no ccache"
capture setup kernel --tinyconfig --distcc "$HOSTS,cpp,lzo"
like "$(cat "$RIG/config")" '^# distcc: plain mode, though the hosts take ,cpp: ccache preprocesses' \
	"with ccache in front, plain mode, and why"

# --- --jobs wins ------------------------------------------------------------
capture setup kernel --tinyconfig --jobs 7 --distcc "localhost/2 $HOSTS"
is "$rc" 0 "--jobs with --distcc"
like "$(cat "$RIG/config")" "'HOSTCC=ccache gcc' -j7 bzImage\$" "the distributed build takes --jobs"
like "$(cat "$RIG/config")" '^# -j7: --jobs$' "and says so"

done_testing
