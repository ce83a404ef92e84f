# tests/cli/buildpick.sh: the fallback from a distributed build to [build]
# local when it is slower (distcc #325, icecream #631), on a bisection
# whose builds compile three C files through a real distccd on 127.0.0.1.
# After two distributed builds one step builds locally, the time a
# compiled file decides, and the faster way is kept for the rest of the
# bisection and for the next `halve run`; it is said on stderr and in the
# step's build.log. "Slower" is made certain rather than timed: the losing
# build's log says each compile a hundred times (kbuild's "  CC" lines),
# so its time a compiled file is a hundredth of what it would be, and it
# would have to take a hundred times longer to win. The other way, the
# local build's make echoes its compiler's command lines instead.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/rig.sh" || exit 99

command -v gcc >/dev/null && command -v make >/dev/null || skip_all "no gcc and make"
rig_distccd

mkdir "$TEST_DIR/src"
for k in k1 k2 k3; do
	printf 'int %s(int x)\n{\n\treturn x + 1;\n}\n' $k >"$TEST_DIR/src/$k.c"
done
# SAY: how many times each compile says "  CC"; ECHO=@ hides the command
cat >"$TEST_DIR/build.mk" <<'EOF'
OBJS = $(OUT)/k1.o $(OUT)/k2.o $(OUT)/k3.o
all: $(OBJS)
$(OUT)/%.o: $(SRC)/%.c
	@mkdir -p $(OUT)
	@i=0; while [ $$i -lt $(SAY) ]; do echo "  CC      $@"; i=$$((i + 1)); done
	$(ECHO)$(CC) -c $< -o $@
EOF

# config FILE DIST_SAY LOCAL_SAY LOCAL_ECHO: distcc and local builds of
# the three files into the step's directory, and the bug's test
config() {
	cat >"$1" <<EOF
[build]
command = DISTCC_HOSTS=127.0.0.1:$DISTCCD_PORT/4 make -f $TEST_DIR/build.mk
	SRC=$TEST_DIR/src OUT="\$HALVE_STEP_DIR/obj" CC='distcc gcc' SAY=$2 ECHO=@
local = make -f $TEST_DIR/build.mk SRC=$TEST_DIR/src OUT="\$HALVE_STEP_DIR/obj"
	CC=gcc SAY=$3 ECHO=$4
[test]
command = test ! -e BUG
EOF
}

compiles() {
	grep -c 'COMPILE_OK' "$DISTCCD_LOG"
}

# the build logs of this run's steps (steps/ outlives a reset)
run_logs() {
	find .git/halve/steps -name build.log -newer "$TEST_DIR/run.mark"
}

# how many of this run's build logs hold TEXT
step_logs_with() {
	run_logs | xargs grep -l -F "$1" | wc -l
}

new_run() {
	touch "$TEST_DIR/run.mark"
}

repo_linear 32 23

# --- distcc slower: local from the trial on -----------------------------------
config "$TEST_DIR/slow.conf" 1 100 @
halve start --config "$TEST_DIR/slow.conf" c32 c1 >/dev/null 2>&1
new_run
capture halve run
is "$rc" 0 "the bisection runs to the end"
is "$(found_in "$out")" "$(sha c23)" "and finds the culprit"
like "$err" '^halve: distcc builds are slower here \([0-9.]+ s a compiled file against [0-9.]+ s locally\): building locally from now on$' \
	"it says distcc is slower, with both figures, on stderr"
is "$(printf '%s\n' "$err" | grep -c 'builds are')" 1 "once"
is "$(compiles)" 6 "distccd compiled two builds of three files, and no more"
is "$(step_logs_with 'halve: this step builds locally ([build] local), to compare with 2 distcc builds')" 1 \
	"one step's build.log says it is the local trial"
is "$(step_logs_with 'halve: distcc builds are slower here')" 1 "and the verdict"
trial=$(run_logs | xargs grep -l -F 'this step builds locally')
is "$(grep -c '^  CC  ' "$trial")" 300 "the trial ran [build] local"
steps=$(run_logs | wc -l)
is "$(run_logs | xargs grep -c '^  CC  ' | grep -c ':300$')" \
	"$((steps - 2))" "every step after the first two built locally"
like "$(cat .git/halve/build-pick)" '^choice local$' "the choice is kept in .git/halve/build-pick"

# the next halve run: decided already, local at once
capture halve run --retest c2
is "$(compiles)" 6 "the next run builds locally at once (distccd compiles nothing)"
is "$(grep -c '^  CC  ' ".git/halve/steps/$(sha c2)/build.log")" 300 "with [build] local"
unlike "$(cat ".git/halve/steps/$(sha c2)/build.log")" 'halve: ' "and nothing to say about it"
halve reset >/dev/null 2>&1

# --- distcc faster: back to distcc after the trial ---------------------------
before=$(compiles)
config "$TEST_DIR/fast.conf" 100 0 ''
halve start --config "$TEST_DIR/fast.conf" c32 c1 >/dev/null 2>&1
new_run
capture halve run
is "$(found_in "$out")" "$(sha c23)" "a bisection with distcc faster finds the culprit"
like "$err" '^halve: distcc builds are faster here \([0-9.]+ s a compiled file against [0-9.]+ s locally\): building through distcc$' \
	"it says distcc is faster"
trial=$(run_logs | xargs grep -l -F 'this step builds locally')
is "$(grep -c '^gcc -c .*/k[123]\.c -o ' "$trial")" 3 \
	"the trial's three compiles counted from the compiler's command lines"
steps=$(run_logs | wc -l)
is "$(($(compiles) - before))" "$((3 * (steps - 1)))" "every other step compiled on distccd"
like "$(cat .git/halve/build-pick)" '^choice distributed$' "the choice is kept"
halve reset >/dev/null 2>&1

# --- figures of another config do not count ------------------------------------
config "$TEST_DIR/slow.conf" 1 100 @
printf 'config 0123456789abcdef\ndistributed 3 1 2\nlocal 3 999999 1\nchoice distributed\n' \
	>.git/halve/build-pick
before=$(compiles)
halve start --config "$TEST_DIR/slow.conf" c32 c1 >/dev/null 2>&1
capture halve run
like "$err" 'distcc builds are slower here' "a build-pick of other commands is measured afresh"
is "$(($(compiles) - before))" 6 "two distcc builds again before the trial"
halve reset >/dev/null 2>&1

done_testing
