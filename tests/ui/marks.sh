# tests/ui/marks.sh: bisecting by keys. g and b mark the selected commit
# through the session, exactly as `halve good` would: after every key,
# `halve status --porcelain` run from the script (another terminal, in
# effect) agrees with the screen; the selection follows the commit under
# test; u undoes the last mark; S S skips a range; with no session, b and
# g start one; and marks typed in another terminal show up on the screen.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

short() {
	printf '%.7s' "$1"
}

# porcelain N KEY: the value of KEY in the status saved after step N
porcelain() {
	awk -v k="$2" '$1 == k { sub(/^[^ ]+ ?/, ""); print }' "$TEST_DIR/porcelain.$1"
}

repo_linear 16 7

# The marks git bisect needs on this history, in order.
git bisect start c16 c1 >/dev/null 2>&1
marks=
while :; do
	if is_bad HEAD; then
		marks="$marks b"
		out=$(git bisect bad 2>&1)
	else
		marks="$marks g"
		out=$(git bisect good 2>&1)
	fi
	case $out in *"is the first bad commit"*) break ;; esac
	[ "$(printf '%s\n' $marks | wc -l)" -lt 20 ] || bail_out "git bisect never ended"
done
git bisect reset >/dev/null 2>&1

halve start c16 c1 >/dev/null 2>&1
{
	echo 'sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.0"'
	echo "dump step.0"
	i=0
	for m in $marks; do
		i=$((i + 1))
		echo "key $m"
		echo 'sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.'$i'"'
		echo "dump step.$i"
	done
	echo "key u"
	echo 'sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.undo"'
	echo "dump undo"
} >"$TEST_DIR/keys.script"
ui_run <"$TEST_DIR/keys.script"
is "$ui_rc" 0 "a bisection by keys runs to its end"
nmarks=$(printf '%s\n' $marks | wc -l | tr -d ' ')
i=0
agree=1
while [ "$i" -lt "$nmarks" ]; do
	cur=$(porcelain $i current)
	line=$(ui_line step.$i "$(short "$cur")")
	case $line in
	*"[current]"*) ;;
	*) agree=0; diag "step $i: current $cur, screen line: $line" ;;
	esac
	i=$((i + 1))
done
ok -m "after every key the screen's current commit is the one halve status names" test "$agree" = 1
is "$(porcelain "$nmarks" state)" found "the keys led to the first bad commit"
is "$(porcelain "$nmarks" first-bad)" "$REPO_CULPRIT" "and it is the culprit"
like "$(ui_line step.$nmarks "$(short "$REPO_CULPRIT")")" "\[first bad\]" \
	"the screen marks it first bad"
like "$(ui_dump step.$nmarks | tail -n 1)" "first bad commit: $(short "$REPO_CULPRIT")" \
	"the status bar names it"
is "$(halve log | grep -c '^git bisect \(good\|bad\)')" "$((nmarks - 1))" \
	"the log holds every mark but the undone one"
is "$(porcelain undo state)" bisecting "u undid the last mark: bisecting again"
is "$(porcelain undo current)" "$(porcelain $((nmarks - 1)) current)" \
	"the commit under test is the one before the last mark"
like "$(ui_line undo "$(short "$(porcelain undo current)")")" "\[current\]" \
	"and the screen shows it as current"

# Marks made in another terminal show up: halve good, and git bisect itself.
halve reset >/dev/null 2>&1
halve start c16 c1 >/dev/null 2>&1
first=$(git rev-parse HEAD)
ui_run <<'SCRIPT'
dump before
sh "$HALVE" good >/dev/null 2>&1
dump after-halve
sh git bisect bad >/dev/null 2>&1
dump after-git
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.ext"
SCRIPT
is "$ui_rc" 0 "the workstation follows another terminal"
like "$(ui_line after-halve "$(short "$first")")" "\[good\]" \
	"halve good typed elsewhere shows on the screen"
unlike "$(ui_line after-halve "$(short "$first")")" "\[current\]" \
	"the old current commit is no longer current"
like "$(ui_line after-git "$(short "$(porcelain ext bad)")")" "\[bad\]" \
	"git bisect bad typed elsewhere shows on the screen"
like "$(ui_line after-git "$(short "$(porcelain ext current)")")" "\[current\]" \
	"the screen moves to the next commit to test"

# S at one end, S at the other: the range is skipped.
halve reset >/dev/null 2>&1
halve start c16 c1 >/dev/null 2>&1
ui_run <<'SCRIPT'
key Home Down S
dump anchor
key Down Down S
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.skip"
dump skipped
SCRIPT
like "$(ui_line anchor "$(short "$(sha c15)")")" "\[skip from here\]" \
	"the first S marks where the range starts"
is "$(porcelain skip skip | wc -l | tr -d ' ')" 3 "S S skips the three commits between"
for c in c15 c14 c13; do
	like "$(porcelain skip skip)" "$(sha $c)" "$c is skipped"
	like "$(ui_line skipped "$(short "$(sha $c)")")" "\[skip\]" "$c shows as skipped"
done

# No session: the history of HEAD, and b then g start one.
halve reset >/dev/null 2>&1
ui_run <<'SCRIPT'
dump history
key b
dump waiting
key End g
sh "$HALVE" status --porcelain >"$TEST_DIR/porcelain.new"
dump started
SCRIPT
is "$ui_rc" 0 "the workstation opens with no bisection"
like "$(ui_dump history)" "graph \(history\) 1/16 " "it shows the history of HEAD"
like "$(ui_dump history | tail -n 1)" "not bisecting" "the status bar says there is no bisection"
like "$(ui_dump waiting | tail -n 1)" "waiting for a good commit" "b on a commit starts a session and waits for good"
is "$(porcelain new state)" bisecting "g at the bottom makes it a bisection"
is "$(porcelain new bad)" "$(sha c16)" "the bad commit is the one b was typed on"
is "$(porcelain new good)" "$(sha c1)" "the good commit is the one g was typed on"
like "$(ui_line started "$(short "$(porcelain new current)")")" "\[current\]" \
	"the screen shows the commit to test"
# A bad commit marked at HEAD in another terminal once the goods are in:
# the rows stay HEAD's history down to the goods, but they are a range
# now, and the screen must say so (it kept showing a history).
cd "$TEST_DIR" || bail_out "cd"
repo_linear 10 5 fromhead
halve start >/dev/null 2>&1 || bail_out "halve start failed"
halve good c1 >/dev/null 2>&1 || bail_out "halve good failed"
ui_run <<'SCRIPT'
dump waiting
sh "$HALVE" bad HEAD >/dev/null 2>&1
dump ranged
SCRIPT
is "$ui_rc" 0 "marking HEAD bad elsewhere works"
like "$(ui_dump waiting | head -n 1)" "\(history\)" \
	"waiting for a bad commit, the graph shows HEAD's history"
unlike "$(ui_dump ranged | head -n 1)" "\(history\)" \
	"the bad commit at HEAD makes the same rows a range"
like "$(ui_dump ranged | head -n 1)" "\([0-9]+ in" "whose candidates the title counts"

done_testing
