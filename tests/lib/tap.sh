# tests/lib/tap.sh: a plan-less TAP emitter for the shell tests, read by
# automake's tap-driver.sh. Source it first; it moves the test into a fresh
# private directory ($TEST_DIR) that is removed on exit (kept when
# HALVE_KEEP_TEST_DIR is set, for debugging).
#
# Assertions (each prints one "ok N - desc" or "not ok N - desc" line):
#   ok [-m DESC] CMD...      CMD exits 0 (its output is shown only on failure)
#   fails [-m DESC] CMD...   CMD exits non-zero
#   is GOT WANT DESC         exact string equality
#   like GOT REGEX DESC      some line of GOT matches the extended regex
#   unlike GOT REGEX DESC    no line of GOT matches the extended regex
#   pass DESC / fail DESC    for conditions computed by hand
# Helpers:
#   capture CMD...           runs CMD, leaves $out, $err and $rc (never fails)
#   diag TEXT / note TEXT    comments on the TAP stream
#   skip_all REASON          the whole file is skipped (1..0 # SKIP); under
#                            CI (HALVE_CI set, not 0) that is a failure
#   bail_out REASON          setup broke: stop everything
#   done_testing             prints the plan; the last line of every test
#
# It must not: sleep, depend on the caller's $HOME or git configuration
# (repo.sh isolates git), or leave files outside $TEST_DIR.

tap_n=0
tap_failed=0

TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/halve-test.XXXXXX") || {
	echo "Bail out! cannot create a temporary directory"
	exit 99
}
TEST_DIR=$(cd "$TEST_DIR" && pwd -P)
tap_cleanup() {
	cd /
	if [ -n "${HALVE_KEEP_TEST_DIR:-}" ]; then
		echo "# kept $TEST_DIR" >&2
	else
		rm -rf "$TEST_DIR"
	fi
}
trap tap_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$TEST_DIR" || exit 99

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

note() {
	diag "$@"
}

pass() {
	tap_n=$((tap_n + 1))
	printf 'ok %d - %s\n' "$tap_n" "$1"
}

fail() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	printf 'not ok %d - %s\n' "$tap_n" "$1"
}

# Shows a captured output file under a failed test, trimmed to stay readable.
tap_show() {
	if [ -s "$2" ]; then
		diag "$1:"
		head -n 40 "$2" | sed 's/^/#   /'
	fi
}

# ok/fails share this: run "$@" with output kept aside, return its status.
tap_run() {
	"$@" >"$TEST_DIR/.tap-out" 2>"$TEST_DIR/.tap-err" </dev/null
}

ok() {
	tap_desc=
	if [ "$1" = -m ]; then
		tap_desc=$2
		shift 2
	fi
	[ -n "$tap_desc" ] || tap_desc="$*"
	if tap_run "$@"; then
		pass "$tap_desc"
	else
		tap_rc=$?
		fail "$tap_desc"
		diag "command: $*"
		diag "exit status: $tap_rc (wanted 0)"
		tap_show stdout "$TEST_DIR/.tap-out"
		tap_show stderr "$TEST_DIR/.tap-err"
	fi
}

fails() {
	tap_desc=
	if [ "$1" = -m ]; then
		tap_desc=$2
		shift 2
	fi
	[ -n "$tap_desc" ] || tap_desc="fails: $*"
	if tap_run "$@"; then
		fail "$tap_desc"
		diag "command: $*"
		diag "exit status: 0 (wanted non-zero)"
		tap_show stdout "$TEST_DIR/.tap-out"
		tap_show stderr "$TEST_DIR/.tap-err"
	else
		pass "$tap_desc"
	fi
}

is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3"
		diag "got:"
		printf '%s\n' "$1" | head -n 40 | sed 's/^/#   /'
		diag "want:"
		printf '%s\n' "$2" | head -n 40 | sed 's/^/#   /'
	fi
}

like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		pass "$3"
	else
		fail "$3"
		diag "no line matches /$2/ in:"
		printf '%s\n' "$1" | head -n 40 | sed 's/^/#   /'
	fi
}

unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		fail "$3"
		diag "a line matches /$2/ in:"
		printf '%s\n' "$1" | head -n 40 | sed 's/^/#   /'
	else
		pass "$3"
	fi
}

# capture CMD...: $out and $err hold CMD's stdout and stderr (without the
# final newline, as $(...) would), $rc its exit status.
capture() {
	if "$@" >"$TEST_DIR/.cap-out" 2>"$TEST_DIR/.cap-err" </dev/null; then
		rc=0
	else
		rc=$?
	fi
	out=$(cat "$TEST_DIR/.cap-out")
	err=$(cat "$TEST_DIR/.cap-err")
}

# CI must not be green with tests that never ran: .ci/run sets HALVE_CI=1,
# and there a skip fails, naming what was missing. A developer's machine
# without qemu (say) still skips, and says why. tests/unit/tap.h agrees.
tap_ci() {
	[ -n "${HALVE_CI:-}" ] && [ "$HALVE_CI" != 0 ]
}

skip_all() {
	if tap_ci; then
		echo "not ok 1 - skipped under HALVE_CI, which allows no skip: $*"
		echo "1..1"
		exit 0	# as done_testing: the "not ok" is the failure
	fi
	echo "1..0 # SKIP $*"
	exit 0
}

bail_out() {
	echo "Bail out! $*"
	exit 99
}

done_testing() {
	echo "1..$tap_n"
	if [ "$tap_failed" -gt 0 ]; then
		diag "$tap_failed of $tap_n tests failed"
	fi
	exit 0
}
