# tests/pipeline/kill.sh: halve killed outright (kill -9) during a build
# and during a boot leaves nothing running: not the build's shell, not
# what it started in the background (deaf to SIGHUP and SIGTERM, as make's
# compilers under nohup would be), not qemu. The next `halve run` takes
# over at the step that was interrupted, keeps every verdict already
# written, removes the dead run's qemu directory, and finds the culprit.
# The deaths are waited for with a deadline far beyond need; how long
# they took is only shown.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

# git's steps on c10..c1: c5 (good), then c7 (hangs: skipped), c8, c9.
make_guest_repo okay okay okay okay okay okay hang okay failed failed
mkdir "$TEST_DIR/tmp"
TMPDIR=$TEST_DIR/tmp	# where halve's qemu directories go
export TMPDIR
mkfifo "$TEST_DIR/ready" "$TEST_DIR/follow" || bail_out "mkfifo failed"

# The build: the second one is held, with a shell's children and a
# grandchild's child running, all deaf to SIGHUP and SIGTERM.
cat >"$TEST_DIR/build" <<EOT
#!/bin/sh
echo x >>'$TEST_DIR/builds'
if [ "\$(wc -l <'$TEST_DIR/builds')" = 2 ]; then
	trap '' HUP TERM
	sleep 1000 &
	sh -c 'sleep 1001 & wait' &
	sh -c 'sh -c "exec sleep 1002"' &
	echo "build: held" >'$TEST_DIR/ready'
	wait
fi
exec ./build.sh
EOT
chmod 755 "$TEST_DIR/build"
guest_config "$TEST_DIR/halve.conf" build.command="$TEST_DIR/build" boot.silence=8s
halve start --config "$TEST_DIR/halve.conf" c10 c1 >/dev/null 2>&1 ||
	bail_out "halve start failed"

# The processes working in the work tree but halve ($1): their pids.
# (From /: the subshell of $(...) running it must not count.)
workers_but() {
	cd / && processes_in "$REPO_DIR" | awk -v h="$1" '$1 != h { print $1 }'
}

# Kills halve ($1) with SIGKILL and waits for each of the pids given
# after it to be gone (tail --pid, from /; it notices late, so the time
# it takes says nothing: measured apart, they are gone in milliseconds).
kill_halve() {
	kh_halve=$1
	shift
	kill -KILL "$kh_halve"
	wait "$kh_halve" 2>/dev/null
	for kh_p; do
		(cd / && timeout 60 tail --pid="$kh_p" -s 0.05 -f /dev/null)
	done
}

# Waits (tail -F, inotify) for a line matching $2 in file $1.
wait_for_line() {
	(cd / && exec tail -F -n +1 "$1" 2>/dev/null) >"$TEST_DIR/follow" &
	wl_tail=$!
	timeout 120 grep -q -m1 -E "$2" <"$TEST_DIR/follow"
	wl_rc=$?
	kill "$wl_tail" 2>/dev/null
	wait "$wl_tail" 2>/dev/null
	return "$wl_rc"
}

# 1. Killed during a build.
"$HALVE" run >"$TEST_DIR/run1.out" 2>&1 &
run1=$!
read -r held <"$TEST_DIR/ready"
is "$held" "build: held" "(the second build is running)"
victims=$(workers_but "$run1")
ok -m "the build runs as several processes (shells, children, grandchildren)" \
	test "$(echo "$victims" | wc -w)" -ge 5
c5_verdict=$(cat "$(step_dir c5)/verdict")
kill_halve "$run1" $victims
is "$(workers_but none)" "" "halve killed during the build: no process of the build survives"
is "$(verdict_of c5 verdict)" good "the first step's verdict is kept"
ok -m "and its mark" grep -qx "git bisect good $(sha c5)" .git/BISECT_LOG
is "$(status_of stage)" "" "status: no pipeline is running"

# builds.log's subjects from line $1 on: the commits each build was of.
built_from() {
	tail -n "+$1" "$TEST_DIR/builds.log" | while read -r bf_c bf_rest; do
		git log -1 --format=%s "$bf_c" | cut -d: -f1
	done | tr '\n' ' '
}

# 2. The next run takes over and is killed while qemu boots c7.
next=$(($(wc -l <"$TEST_DIR/builds.log") + 1))
"$HALVE" run >"$TEST_DIR/run2.out" 2>&1 &
run2=$!
wait_for_line "$(step_dir c7)/console.log" "guest: hanging now" ||
	bail_out "c7's guest never booted"
victims=$(workers_but "$run2")
ok -m "qemu is running" test -n "$victims"
is "$(built_from "$next")" "c7 " "the second run resumed with the interrupted step, c7"
ok -m "in its directory under \$TMPDIR" test -S "$(echo "$TEST_DIR"/tmp/halve-qemu."$run2".*/qmp.sock)"
kill_halve "$run2" $victims
is "$(workers_but none)" "" "halve killed during a boot: qemu does not survive it"
ok -m "(the dead run's qemu directory is left for now)" \
	test -d "$(echo "$TEST_DIR"/tmp/halve-qemu."$run2".*)"

# 3. The next run cleans up, resumes at c7 and finds the culprit.
next=$(($(wc -l <"$TEST_DIR/builds.log") + 1))
run_pipeline run
is "$rc" 0 "the third run goes on to the end"
is "$(found_in "$out")" "$(sha c9)" "and finds c9"
[ "$rc" = 0 ] || tap_show "halve's stderr" "$TEST_DIR/.cap-err"
is "$(ls "$TEST_DIR/tmp" | grep -c '^halve-qemu\.')" 0 "the dead run's qemu directory and socket are gone"
is "$(cat "$(step_dir c5)/verdict")" "$c5_verdict" "c5's verdict file is the one the first run wrote"
like "$(head -n 1 "$(step_dir c7)/build.log")" "not built again: initrd.img put back" \
	"the third run resumed with the interrupted step, c7, booting the build the second run kept"
is "$(built_from "$next" | tr ' ' '\n' | grep -c '^c7$')" 0 "so c7 was not built a second time"
is "$(built_from 1 | tr ' ' '\n' | grep -c '^c5$')" 1 "c5 was built once: its verdict stood"
is "$(verdict_of c7 reason)" "hang: no console output for 8s" "c7 got its verdict in the end"
is "$(workers_but none)" "" "nothing is left running"

done_testing
