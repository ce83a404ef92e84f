# tests/ui/lib.sh: running the workstation in scripted mode on a real pty
# and checking its screens. Source it after tap.sh and repo.sh.
#
#   ui_run [-s COLSxROWS] [-t THEME] [-term TERM] [-e VAR=VALUE]...
#          [-a GUARD_SECONDS] [-halve] [-k] < SCRIPT
#                      runs `halve-tui --script` (with -halve: the halve
#                      binary itself, the pipeline behind it) with the
#                      script on stdin, in the current repository, under
#                      ptydrive; dumps go to $UI_DUMPS; leaves $ui_rc (exit
#                      status), $ui_err (its stderr, kept off the
#                      terminal), $UI_DUMPS/final (the screen the terminal
#                      showed at the end) and $UI_DUMPS/termlog (window
#                      titles and bells the terminal saw); with -k, what
#                      the script writes to the FIFO $UI_KEYS (sh printf
#                      'q' > "$UI_KEYS") is typed on the terminal itself
#                      and goes through the workstation's key handling
#   ui_style NAME ROW COL  the style of a cell in a dumpattr dump
#   ui_find NAME TEXT  "ROW COL" where TEXT is on the screen
#   ui_golden NAME     the dump NAME equals tests/ui/golden/NAME
#                      (HALVE_UPDATE_GOLDEN=1 rewrites the golden file)
#   ui_dump NAME       the text of a dump
#   ui_line NAME RE    the first line of dump NAME matching RE
#
# Screens are drawn in a UTF-8 locale unless a test says otherwise
# (UI_LOCALE), with the terminal type xterm-256color, and the clock of the
# status bar frozen by the scripted mode. It must not sleep.

UI_DUMPS=$TEST_DIR/dumps
export TEST_DIR	# for the scripts' sh commands
mkdir -p "$UI_DUMPS"
UI_LOCALE=${UI_LOCALE:-C.UTF-8}
HALVE_TUI=${HALVE_TUI:-$HALVE_BUILDDIR/tests/ui/halve-tui}
PTYDRIVE=${PTYDRIVE:-$HALVE_BUILDDIR/tests/ui/ptydrive}
[ -x "$HALVE_TUI" ] || bail_out "no $HALVE_TUI (build with make check)"
[ -x "$PTYDRIVE" ] || bail_out "no $PTYDRIVE (build with make check)"

UI_KEYS=$TEST_DIR/keys
export UI_KEYS
[ -p "$UI_KEYS" ] || mkfifo "$UI_KEYS" || bail_out "mkfifo $UI_KEYS failed"

ui_n=0
ui_run() {
	ui_size=80x24
	ui_theme=
	ui_env=
	ui_term=xterm-256color
	ui_guard=60
	ui_prog=$HALVE_TUI
	ui_keys=
	ui_args=
	while [ $# -gt 0 ]; do
		case $1 in
		-args) ui_args=$2; shift 2 ;;
		-k) ui_keys="-k $UI_KEYS"; shift ;;
		-a) ui_guard=$2; shift 2 ;;
		-halve) ui_prog=$HALVE; shift ;;
		-s) ui_size=$2; shift 2 ;;
		-term) ui_term=$2; shift 2 ;;
		-t) ui_theme="--theme $2"; shift 2 ;;
		-e) ui_env="$ui_env $2"; shift 2 ;;
		*) break ;;
		esac
	done
	ui_n=$((ui_n + 1))
	cat >"$TEST_DIR/script.$ui_n"
	# shellcheck disable=SC2086
	if env LC_ALL="$UI_LOCALE" HALVE_DUMP_DIR="$UI_DUMPS" $ui_env \
		"$PTYDRIVE" -s "$ui_size" -t "$ui_term" -o "$UI_DUMPS/final" \
		-T "$UI_DUMPS/termlog" -E "$TEST_DIR/ui.err" -a "$ui_guard" \
		$ui_keys -- \
		"$ui_prog" $ui_theme --script "$TEST_DIR/script.$ui_n" $ui_args \
		>"$TEST_DIR/ui.out" 2>"$TEST_DIR/ptydrive.err"; then
		ui_rc=0
	else
		ui_rc=$?
	fi
	ui_err=$(cat "$TEST_DIR/ui.err" "$TEST_DIR/ptydrive.err")
}

ui_dump() {
	cat "$UI_DUMPS/$1" 2>/dev/null
}

ui_line() {
	ui_dump "$1" | sed '/^--- styles$/,$d' | grep -E -m1 -- "$2"
}

# ui_style NAME ROW COL: the legend of the style of a cell in a dumpattr
# dump ("1 -1 bold": foreground, background, attributes)
ui_style() {
	awk -v row="$2" -v col="$3" '
		/^--- styles$/ { m = NR; next }
		m && NR == m + 1 + row { letter = substr($0, col + 1, 1) }
		m && letter != "" && index($0, letter ": ") == 1 {
			sub(/^.: /, ""); print; exit
		}' "$UI_DUMPS/$1"
}

# ui_find NAME TEXT: "ROW COL" of the first place TEXT is on the screen
# (columns counted in characters, as the terminal counts cells)
ui_find() {
	uf_row=$(sed '/^--- styles$/,$d' "$UI_DUMPS/$1" | grep -n -F -m1 -- "$2" |
		cut -d: -f1)
	[ -n "$uf_row" ] || return 1
	uf_line=$(sed -n "${uf_row}p" "$UI_DUMPS/$1")
	uf_prefix=${uf_line%%"$2"*}
	echo "$((uf_row - 1)) $(printf '%s' "$uf_prefix" | LC_ALL=C.UTF-8 wc -m | tr -d ' ')"
}

ui_golden() {
	golden=$HALVE_SRCDIR/tests/ui/golden/$1
	if [ -n "${HALVE_UPDATE_GOLDEN:-}" ]; then
		cp "$UI_DUMPS/$1" "$golden"
	fi
	if [ ! -f "$UI_DUMPS/$1" ]; then
		fail "screen $1 was dumped"
	elif cmp -s "$UI_DUMPS/$1" "$golden"; then
		pass "screen $1 matches its golden file"
	else
		fail "screen $1 matches its golden file"
		diff -u "$golden" "$UI_DUMPS/$1" | head -n 60 | sed 's/^/# /'
	fi
}
