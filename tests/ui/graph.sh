# tests/ui/graph.sh: moving about the graph: the selection starts on the
# commit under test; j k PgDn Home End move it; c and f jump to the
# commit under test and the first bad one; / searches subjects and ids
# (pcre2, any case when the pattern is lower case), n and N go on; a
# mouse click selects a commit and focuses a pane, the wheel scrolls;
# the help scrolls when the screen is short; the status bar shows the
# stage and the time a step has run, and once a step has ended the time
# left; tested commits show their verdict.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

repo_linear 30 11
git commit -q --allow-empty -m "Fix the Frobnicator" || bail_out "commit failed"
halve start HEAD c1 >/dev/null 2>&1
current=$(git rev-parse --short=7 HEAD)

# selected NAME: the row of the graph's cursor, from the title ("N/M")
selected() {
	sed -n '1s/^─ graph [^ ]* \([0-9]*\)\/[0-9]*.*/\1/p' "$UI_DUMPS/$1"
}
rows() {
	sed -n '1s/^─ graph [^ ]* [0-9]*\/\([0-9]*\).*/\1/p' "$UI_DUMPS/$1"
}

# A verdict the pipeline would have written, for c20.
mkdir -p ".git/halve/steps/$(sha c20)"
printf 'commit %s\nverdict bad\nreason rule bad #1 matched\nbuild-ms 133000\nboot-ms 41000\n' \
	"$(sha c20)" >".git/halve/steps/$(sha c20)/verdict"

ui_run -s 100x20 <<'SCRIPT'
dump start
key j j
dump down2
key k
dump up1
key End
dump end
key Home
dump home
key c
dump current
key /
type frob
key Enter
dump search
key /
type ^c2
key Enter
dump c2x
key n
dump c2x-next
key N
dump c2x-prev
key /
type (unclosed
key Enter
dump bad-regex
click 5 10
dumpattr clicked
click 3 70
dumpattr click-build
key Tab Tab
wheel 4 10 down
dump wheel
key ?
dump help1
key j j j
dump help2
key q
stage building
clock 133000
dump stage
key /
type ^c20$
key Enter z
dump zoomed
stage -
dump estimate
SCRIPT
is "$ui_rc" 0 "moving about the graph works"
like "$(ui_line start "$current")" "\[current\]" "the selection starts on the commit under test"
start=$(selected start)
is "$(selected down2)" "$((start + 2))" "j j moves down two"
is "$(selected up1)" "$((start + 1))" "k moves up one"
is "$(selected end)" "$(rows end)" "End goes to the last row (the good end)"
is "$(rows end)" 31 "(30 commits in the range and its good end)"
is "$(selected home)" 1 "Home goes to the first"
is "$(selected current)" "$start" "c jumps back to the commit under test"
is "$(selected search)" 1 "/frob finds 'Fix the Frobnicator' (lower case: any case)"
is "$(selected c2x)" 3 "/^c2 finds c29, the first match down from the top"
is "$(selected c2x-next)" 4 "n finds the next (c28)"
is "$(selected c2x-prev)" 3 "N goes back"
like "$(ui_dump bad-regex | tail -n 1)" "search: missing closing parenthesis" \
	"a bad regex is reported in the status bar"
is "$(selected clicked)" 5 "a click selects the row clicked"
ok -m "a click in the build pane focuses it" \
	test "$(ui_style click-build 0 2)" = "$(ui_style clicked 0 50)" -a \
	     "$(ui_style click-build 0 50)" = "$(ui_style clicked 0 2)"
is "$(selected wheel)" 8 "the wheel scrolls the graph (three rows)"
like "$(ui_dump help1)" "j k: more" "a help taller than the screen says it scrolls"
unlike "$(ui_dump help2)" "mark the selected commit good" "j scrolls the help"
like "$(ui_dump stage | tail -n 1)" "step 1: building \[02:13\]" \
	"the status bar shows the stage and how long the step has run"
# one step of 2m13s so far: the time left is that for each step to go,
# this one included
steps=$(ui_dump estimate | tail -n 1 | sed -n 's/.*left after this, ~\([0-9]*\) step.*/\1/p')
left=$((133 * (${steps:-0} + 1)))
like "$(ui_dump estimate | tail -n 1)" \
	"~$((left / 60))m$(printf '%02d' $((left % 60)))s to go" \
	"the status bar estimates the time left from the steps' durations (${steps:-?} steps after this)"
like "$(ui_line zoomed "$(printf '%.7s' "$(sha c20)")")" "build 2m13s, boot 41s: rule bad #1 matched" \
	"a tested commit shows its build and boot times and why"
done_testing
