# tests/ui/candidates.sh: the likeliest answers in the workstation. Under
# --confidence, l opens an overlay listing the commits likeliest to be the
# first bad one with their probabilities (the same as `halve status
# --porcelain` says), none and the rates learned; Enter selects a row's
# commit in the graph; a result typed in another terminal updates it; Esc
# closes it. With results believed it lists the commits left instead.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

repo_linear 60 37

# Bad commits pass 3 runs in 10 (a counter decides which); the 7th run
# gives up (exit 255 ends `run`), leaving the search half way.
cat >"$TEST_DIR/flaky" <<'EOF'
#!/bin/sh
n=$(cat "$0.count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$0.count"
test "$n" -ge 7 && exit 255
test -e BUG || exit 0
test $(( (n * 7) % 10 )) -lt 3 && exit 0
exit 1
EOF
chmod +x "$TEST_DIR/flaky"

# row DUMP SHA: the overlay's row of a commit, "SHA7 P SUBJECT" (the bar
# left out)
row() {
	ui_line "$1" "│ $(printf '%.7s' "$2") " |
		sed -E 's/^.*│ ([0-9a-f]{7}) [^0-9]*([01]\.[0-9]{3}) (.*[^ ]) *│.*$/\1 \2 \3/'
}
# porcelain FILE KEY: the values of KEY in a saved status --porcelain
porcelain() {
	awk -v k="$2" '$1 == k { sub(/^[^ ]+ ?/, ""); print }' "$TEST_DIR/$1"
}
# rounded P: a porcelain probability as the overlay shows it
rounded() {
	awk -v p="$1" 'BEGIN { printf "%.3f\n", p }'
}

halve start c60 c1 >/dev/null 2>&1
halve run --confidence "$TEST_DIR/flaky" >/dev/null 2>&1
ui_run <<'SCRIPT'
sh "$HALVE" status --porcelain >"$TEST_DIR/before"
dump start
key l
dump open
key j
key j
key Enter
dump selected
key l
sh "$HALVE" bad c38 >/dev/null 2>&1
sh "$HALVE" status --porcelain >"$TEST_DIR/after"
dump updated
key Esc
dump closed
key ?
dump help
SCRIPT
is "$ui_rc" 0 "the workstation ran the script"
unlike "$(ui_dump start)" 'likeliest first bad commits' "no overlay until l"
like "$(ui_dump open)" 'likeliest first bad commits \(Enter: select, Esc: close\)' \
	"l opens the likeliest first bad commits"
is "$(porcelain before candidate | wc -l | tr -d ' ')" 5 "status --porcelain names five candidates"
agree=1
for c in $(porcelain before candidate | cut -d' ' -f1); do
	p=$(porcelain before candidate | awk -v c="$c" '$1 == c { print $2 }')
	want="$(printf '%.7s' "$c") $(rounded "$p") $(subject "$c")"
	got=$(row open "$c")
	[ "$got" = "$want" ] || { agree=0; diag "want '$want', got '$got'"; }
done
ok -m "each of status's five candidates is a row: short id, probability, subject" test "$agree" = 1
first=$(porcelain before candidate | head -n 1 | cut -d' ' -f1)
like "$(ui_dump open | grep -m1 '│ [0-9a-f]\{7\} ')" "│ $(printf '%.7s' "$first") " \
	"the likeliest first"
like "$(ui_line open "$(printf '%.7s' "$first")")" '│ [0-9a-f]{7} █+' "with a bar"
like "$(ui_dump open)" "│ none .* $(rounded "$(porcelain before none)") no commit is bad: its failures were flakes" \
	"none: its probability"
like "$(ui_dump open)" '│ learned: a bad commit passes [0-9]+% of its runs, a good one fails [0-9]+%' \
	"and the rates learned"

third=$(porcelain before candidate | sed -n 3p | cut -d' ' -f1)
n=$(subject "$third" | tr -d c)
like "$(ui_dump selected | head -n 1)" "^─ graph c1\.\.c60 $((61 - n))/60 " \
	"Enter on the third row selects its commit ($(subject "$third")) in the graph"
unlike "$(ui_dump selected)" 'likeliest first bad commits' "and closes the overlay"

is "$(porcelain after runs)" "$(($(porcelain before runs) + 1))" "a result came in from another terminal"
top=$(porcelain after candidate | head -n 1)
like "$(row updated "${top% *}")" "^$(printf '%.7s' "$top") $(rounded "${top#* }") " \
	"the open overlay shows the new probabilities"
unlike "$(row updated "${top% *}")" "^$(printf '%.7s' "$top") $(rounded "$(porcelain before candidate | head -n 1 | cut -d' ' -f2)") " \
	"not the old ones"
unlike "$(ui_dump closed)" 'likeliest first bad commits' "Esc closes it"
like "$(ui_dump help)" '│ l +the likeliest first bad commits' "? lists l"
halve reset >/dev/null 2>&1

# Believed: the commits left, without probabilities, still selectable.
halve start c60 c1 >/dev/null 2>&1
halve bad c40 >/dev/null 2>&1
halve good c35 >/dev/null 2>&1
ui_run <<'SCRIPT'
key l
dump believed
key Down
key Enter
dump believed-selected
SCRIPT
is "$ui_rc" 0 "the workstation ran the script"
like "$(ui_dump believed)" 'results believed \(no --confidence\): no probabilities' \
	"without --confidence it says there are no probabilities"
like "$(ui_dump believed)" '│ the first bad commit is one of 5:' "but how many commits are left"
is "$(ui_dump believed | grep -c '│ [0-9a-f]\{7\} c[0-9]')" 5 "and lists them"
like "$(ui_dump believed-selected | head -n 1)" "^─ graph c1\.\.c60 $((61 - 39))/60 " \
	"Enter on the second selects c39"
halve reset >/dev/null 2>&1

done_testing
