# tests/cli/icecc.sh: `halve setup kernel --icecc` against a real
# icecream cluster of one, an icecc-scheduler and an iceccd the test
# starts on 127.0.0.1: refused with one line while no daemon answers or
# without icecc; then ccache in front of icecc, -j from the slots the
# scheduler lists, the local build beside it, and the rig's build of the
# fake tree's kernel seen by the scheduler, a job a file. Also `halve
# doctor`'s icecc line. iceccd as root keeps its socket in
# /var/run/icecc: the test runs as root, and only when no other iceccd
# runs here.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/rig.sh" || exit 99

rig_require_busybox
for t in icecc iceccd icecc-scheduler gcc make ccache; do
	command -v $t >/dev/null || skip_all "no $t (install icecc)"
done
[ "$(id -u)" = 0 ] || skip_all "iceccd's socket is root's /var/run/icecc here"
! rig_iceccd_runs || skip_all "an iceccd runs here already"

rig_real_tree
CPUS=$(nproc)

setup() {
	PATH=$REAL "$HALVE" setup "$@"
}

# --- bad input ------------------------------------------------------------
refused "no icecc on PATH" env PATH="$STUBS" "$HALVE" setup kernel --tinyconfig --icecc
like "$err" 'no icecc on PATH \(install icecc\)' "it names the package"
refused "no icecream daemon" setup kernel --tinyconfig --icecc
like "$err" 'no icecream daemon answers on /var/run/icecc/iceccd.socket' "it says where it asked"

# --- a cluster of one ---------------------------------------------------------
# the daemons drop root for the icecc user: their directory is open to it
ICE=$TEST_DIR/ice
mkdir -m 777 "$ICE" && chmod 755 "$TEST_DIR"
SCHED_PORT=$((20000 + ($$ * 13) % 40000))
trap 'kill -- -$SCHED_PID -$ICECCD_PID 2>/dev/null; wait; tap_cleanup' EXIT
setsid icecc-scheduler -p "$SCHED_PORT" -vv </dev/null >/dev/null 2>"$ICE/scheduler.log" &
SCHED_PID=$!
setsid iceccd -s "127.0.0.1:$SCHED_PORT" -p "$((SCHED_PORT + 2))" -m 5 -N halvetest \
	-vv -b "$ICE/envs" </dev/null >/dev/null 2>"$ICE/iceccd.log" &
ICECCD_PID=$!
rig_wait_log "$ICE/iceccd.log" 'Connected to scheduler' "$ICECCD_PID" ||
	bail_out "iceccd does not reach its scheduler: $(cat "$ICE/iceccd.log")"
USE_SCHEDULER=127.0.0.1:$SCHED_PORT
export USE_SCHEDULER

capture setup kernel --tinyconfig --icecc
is "$rc" 0 "setup kernel --icecc"
cfg=$(cat "$RIG/config")
like "$cfg" "^	KBUILD_BUILD_HOST=halve KBUILD_BUILD_VERSION=1 CCACHE_PREFIX=icecc &&\$" \
	"ccache hands its misses to icecc"
like "$cfg" '^# icecc: through the daemon on /var/run/icecc/iceccd.socket, behind ccache$' \
	"the config says which daemon"
like "$cfg" "^# -j5: the scheduler at 127.0.0.1:$SCHED_PORT offers 5 slots\$" "-j from the scheduler's slots"
like "$cfg" "'HOSTCC=ccache gcc' -j5 bzImage\$" "make -j5"
like "$cfg" "^local = export " "the local build is there too"
like "$cfg" "'HOSTCC=ccache gcc' -j$CPUS bzImage\$" "the local build: a job a CPU"

build_cmd=$(rig_config_value "$RIG/config" command)
capture env PATH="$REAL" sh -c "$build_cmd"
is "$rc" 0 "the rig's build command builds the fake kernel"
for k in k1 k2 k3; do
	like "$(cat "$ICE/scheduler.log")" "NEW [0-9]+ client=halvetest .*kernel/$k\\.c C" \
		"the scheduler gave out the job for $k.c"
done

capture setup kernel --tinyconfig --no-ccache --icecc
like "$(cat "$RIG/config")" "make 'O=$RIG/build' 'CC=icecc gcc' -j5 bzImage\$" "without ccache: CC='icecc gcc'"

capture env USE_SCHEDULER=127.0.0.1:1 PATH="$REAL" "$HALVE" setup kernel --tinyconfig --icecc
is "$rc" 0 "a scheduler that does not answer is no error"
like "$(cat "$RIG/config")" "^# -j$((2 * CPUS)): the scheduler does not answer \\(127.0.0.1:2: Connection refused\\): twice the CPUs\$" \
	"-j twice the CPUs then, and why"

capture env PATH="$REAL" "$HALVE" doctor --porcelain
like "$out" "^icecc	ok	icecc	iceccd on /var/run/icecc/iceccd.socket; the scheduler at 127.0.0.1:$SCHED_PORT offers 5 slots\$" \
	"doctor: the daemon and the scheduler's slots"

done_testing
