# tests/lib/rig.sh: what the kernel rig's tests share (tests/cli/setup.sh,
# doctor.sh, distcc.sh, buildpick.sh): a static busybox, a PATH of the
# test's own where each tool is a stub, so that what is "installed" is
# known, a fake Linux tree, a real distccd. Source it after
# tests/lib/tap.sh and tests/lib/repo.sh.
#
#   rig_require_busybox      skips the file unless busybox is static;
#                            sets BUSYBOX
#   rig_bin DIR TOOL...      makes DIR holding a stub for each TOOL (exits
#                            0), a qemu-system-x86_64 that fails (so KVM is
#                            never usable and the qemu line is TCG's on
#                            every machine) and busybox; sets BIN=DIR
#   listing DIR              what is under DIR (not .git/objects), sorted
#   refused DESC CMD...      CMD fails with one "halve: setup: " line and
#                            writes nothing under . (two assertions)
#   rig_real_tree            for tests that really build the fake tree:
#                            two PATHs, STUBS (stubs only: nothing there
#                            but what the test says) and REAL (the
#                            machine's compilers, stubs for the tools the
#                            fake tree never runs); MAKE_LOG, CCACHE_DIR;
#                            the fake tree in linux/ (cd into it), RIG
#   rig_iceccd_runs          an iceccd runs on this machine (/proc, so that
#                            no procps is needed)
#   rig_config_value FILE KEY   KEY's value in a config: "KEY = ..." and
#                            its tab-led lines, joined by blanks as halve
#                            joins them
#   rig_fake_tree DIR        a git repository with the files of a Linux tree
#                            setup looks at (see below); cd into it
#   rig_distccd              a real distccd on 127.0.0.1, on a free port,
#                            logging to $DISTCCD_LOG; sets DISTCCD_PORT and
#                            kills it when the test exits; skips the file
#                            when there is no distcc or distccd
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

listing() {
	(cd "$1" && find . -path ./.git/objects -prune -o -print | sort)
}

refused() {
	desc=$1
	shift
	before=$(listing .)
	capture "$@"
	if [ "$rc" -ne 0 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		printf '%s\n' "$err" | grep -q '^halve: setup: '; then
		pass "$desc: one 'halve: setup:' line, exit $rc"
	else
		fail "$desc: one 'halve: setup:' line and a non-zero exit"
		diag "exit $rc, stderr: $err"
	fi
	is "$(listing .)" "$before" "$desc: nothing written"
}

rig_real_tree() {
	rig_bin "$TEST_DIR/stubs" gcc make flex bison bc ccache
	STUBS=$BIN
	rig_bin "$TEST_DIR/bin" flex bison bc
	REAL=$BIN:/usr/local/bin:/usr/bin:/bin
	MAKE_LOG=$TEST_DIR/make.log
	CCACHE_DIR=$TEST_DIR/ccache
	export MAKE_LOG CCACHE_DIR
	rig_fake_tree linux
	RIG=$(pwd -P)/.git/halve/rig
}

rig_iceccd_runs() {
	cat /proc/[0-9]*/comm 2>/dev/null | grep -qx iceccd
}

rig_config_value() {
	awk -v key="$2" '
		$0 ~ "^" key " = " { on = 1; sub("^" key " = ", ""); v = $0; next }
		on && /^\t/ { sub(/^\t/, " "); v = v $0; next }
		{ on = 0 }
		END { print v }' "$1"
}

# rig_fake_tree DIR: a git repository holding the files of a Linux tree that
# setup checks, with config targets that write $(O)/.config (tinyconfig
# leaves out what the guest needs, so that setup must add it) and an
# olddefconfig that drops the options listed in drop-options, as an
# unmet dependency would. Every make is logged in $MAKE_LOG.
rig_fake_tree() {
	repo_new "$1"
	mkdir -p scripts arch/x86
	echo 'mainmenu "Linux"' >Kconfig
	echo '# arch' >arch/x86/Makefile
	cat >Makefile <<'EOF'
# a fake Linux tree for halve's tests
VERSION = 6
PATCHLEVEL = 1
SUBLEVEL = 0
O ?= .
tinyconfig defconfig:
	echo "$@ CC=$(CC)" >>$(MAKE_LOG)
	printf 'CONFIG_EXPERT=y\n# CONFIG_PRINTK is not set\nCONFIG_FROM_$@=y\n' >$(O)/.config
localmodconfig:
	echo "$@ CC=$(CC)" >>$(MAKE_LOG)
olddefconfig:
	echo "$@ CC=$(CC)" >>$(MAKE_LOG)
	if [ -f drop-options ]; then \
		for o in $$(cat drop-options); do \
			sed -i "/^CONFIG_$$o=/d" $(O)/.config; \
		done; \
	fi
# bzImage: kbuild's quiet lines, a compile each
OBJS = $(O)/k1.o $(O)/k2.o $(O)/k3.o
bzImage: $(OBJS)
	mkdir -p $(O)/arch/x86/boot
	cat $(OBJS) >$(O)/arch/x86/boot/bzImage
$(O)/%.o: kernel/%.c
	@echo "  CC      $@"
	@$(CC) -c $< -o $@
EOF
	mkdir -p kernel
	for k in k1 k2 k3; do
		printf 'int %s(int x)\n{\n\treturn x + 1;\n}\n' $k >kernel/$k.c
	done
	cat >scripts/config <<'EOF'
#!/bin/sh
# the kernel's scripts/config, for what setup asks of it
file=.config
while [ $# -gt 0 ]; do
	case $1 in
	--file) file=$2; shift ;;
	--enable)
		sed -i "/^CONFIG_$2=/d; /^# CONFIG_$2 is not set/d" "$file"
		echo "CONFIG_$2=y" >>"$file"; shift ;;
	--set-str)
		sed -i "/^CONFIG_$2=/d" "$file"
		echo "CONFIG_$2=\"$3\"" >>"$file"; shift 2 ;;
	esac
	shift
done
EOF
	chmod +x scripts/config

	git add -A && git commit -qm "the tree" || bail_out "cannot commit"
	repo_commit "one more" f
	printf '#!/bin/sh\ngrep -q console=ttyS0 /proc/cmdline\n' >"$TEST_DIR/t.sh"
	chmod +x "$TEST_DIR/t.sh"
}

# waits (no sleep: tail follows the file) until LOG has a line matching
# REGEX, or PID is gone, or 30 s pass
rig_wait_log() {
	timeout 30 tail -n +1 --pid="$3" -f "$1" 2>/dev/null | grep -q -m1 -E "$2"
}

rig_distccd() {
	command -v distcc >/dev/null && command -v distccd >/dev/null ||
		skip_all "no distcc and distccd (install distcc)"
	trap 'rig_stop_distccd; tap_cleanup' EXIT
	for try in 1 2 3 4 5 6 7 8; do
		DISTCCD_PORT=$((20000 + ($$ * 7 + try * 4099) % 40000))
		DISTCCD_LOG=$TEST_DIR/distccd.log
		# --log-stderr: the log is our file, whoever distccd runs as;
		# its own session, and not our stdout: its preforked children
		# must not hold the TAP stream open once the test is over
		setsid distccd --no-detach --daemon --allow 127.0.0.1 \
			--listen 127.0.0.1 --port "$DISTCCD_PORT" --log-stderr \
			--log-level info </dev/null >/dev/null 2>"$DISTCCD_LOG" &
		DISTCCD_PID=$!
		rig_wait_log "$DISTCCD_LOG" 'listening on|ERROR' "$DISTCCD_PID"
		grep -q 'listening on' "$DISTCCD_LOG" && return 0
		wait "$DISTCCD_PID"
		DISTCCD_PID=
	done
	bail_out "distccd does not start: $(cat "$DISTCCD_LOG")"
}

rig_stop_distccd() {
	if [ -n "${DISTCCD_PID:-}" ]; then
		kill -- -"$DISTCCD_PID" 2>/dev/null	# it and its children
		wait "$DISTCCD_PID" 2>/dev/null
	fi
}
