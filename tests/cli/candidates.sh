# tests/cli/candidates.sh: `halve status` under --confidence names the
# likeliest answers with their probabilities: the commits, "none" (BAD's
# failure was a flake), the mass of the rest, the rates it learned; the
# top one is the answer at the end. Without --confidence it shows none
# of it: results believed carry no probabilities.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 60 37

# A test whose bad commits pass 3 runs in 10 (a counter decides which, so
# every run of the test is the same); with STOP=N it gives up (exit 255,
# which ends `run`) at its Nth run, leaving the search half way.
cat >"$TEST_DIR/flaky" <<'EOF'
#!/bin/sh
n=$(cat "$0.count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$0.count"
test -n "$STOP" && test "$n" -ge "$STOP" && exit 255
test -e BUG || exit 0
test $(( (n * 7) % 10 )) -lt 3 && exit 0
exit 1
EOF
# No bug at all: about one run in 20 fails, anywhere.
cat >"$TEST_DIR/flake" <<'EOF'
#!/bin/sh
n=$(cat "$0.count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$0.count"
test $(( ((n * 1103515245 + 12345) / 65536) % 20 )) -eq 7 && exit 1
exit 0
EOF
chmod +x "$TEST_DIR/flaky" "$TEST_DIR/flake"

# The probabilities of the porcelain's candidate, others and none lines,
# added up, and whether they come likeliest first.
sum_of() {
	halve status --porcelain |
		awk '$1 == "candidate" { s += $3 } $1 == "others" || $1 == "none" { s += $2 }
		     END { printf "%.4f\n", s }'
}
sorted() {
	halve status --porcelain | awk '$1 == "candidate" { print $3 }' |
		sort -g -r -c 2>/dev/null
}

# Half way: six runs, then the test gives up.
halve start c60 c1 >/dev/null 2>&1
STOP=7 halve run --confidence "$TEST_DIR/flaky" >/dev/null 2>&1
is "$(status_of state)" bisecting "half way: still bisecting"
is "$(status_of candidate | wc -l | tr -d ' ')" 5 "status --porcelain: five candidate lines"
like "$(status_of candidate | head -n 1)" '^[0-9a-f]{40} 0\.[0-9]{6}$' "each a commit and its probability"
ok -m "likeliest first" sorted
is "$(sum_of)" 1.0000 "the candidates, others and none add up to 1"
like "$(status_of none)" '^0\.[0-9]{6}$' "none: the chance that nothing is bad"
top_p=$(status_of candidate | head -n 1 | cut -d' ' -f2)
conf=$(status_of confidence)
ok -m "the confidence is the top candidate's probability or less (the stop also weighs it under a wary prior; got $conf of $top_p)" \
	awk -v c="$conf" -v t="$top_p" 'BEGIN { exit !(c > 0 && c <= t) }'
q=$(status_of rate-q)
ok -m "rate-q: the rate at which a bad commit passes, learned (test: 0.3; got $q)" \
	awk -v q="$q" 'BEGIN { exit !(q > 0.1 && q < 0.6) }'
like "$(status_of rate-f)" '^0\.[0-9]{6}$' "rate-f: the rate at which a good commit fails"
capture halve status
is "$rc" 0 "status exits 0"
like "$out" '^likeliest:$' "status says which answers are likeliest"
top=$(status_of candidate | head -n 1 | cut -d' ' -f1)
like "$out" "^  0\\.[0-9]{3} \\[$top\\] c[0-9]+$" "the top one with its probability and subject"
is "$(printf '%s\n' "$out" | grep -Ec '^  0\.[0-9]{3} \[[0-9a-f]{40}\] ')" 3 "three commits listed"
like "$out" '^  [01]\.[0-9]{3} the [0-9]+ other commits$' "then what the others hold"
like "$out" '^  0\.[0-9]{3} none: no commit is bad, its failures were flakes$' "and none"
like "$out" '^learned: a bad commit passes 0\.[0-9]{2} of its runs, a good one fails 0\.[0-9]{2}$' \
	"and the rates learned"

# To the end: the top candidate is the answer.
rm -f "$TEST_DIR/flaky.count"
capture halve run --confidence "$TEST_DIR/flaky"
is "$(found_in "$out")" "$(sha c37)" "run --confidence names c37"
is "$(status_of candidate | head -n 1 | cut -d' ' -f1)" "$(sha c37)" \
	"at the end the top candidate is the first bad commit"
is "$(status_of first-bad)" "$(sha c37)" "as status's first-bad says"
ok -m "at least as sure as asked" \
	awk -v p="$(status_of candidate | head -n 1 | cut -d' ' -f2)" 'BEGIN { exit !(p >= 0.99) }'
is "$(sum_of)" 1.0000 "the probabilities still add up"
like "$(halve status)" "^  0\\.99[0-9] \\[$(sha c37)\\] c37$" "status lists it first"
halve reset >/dev/null 2>&1

# A flake: none is the answer, likelier than any commit.
halve start c60 c1 >/dev/null 2>&1
halve run --confidence "$TEST_DIR/flake" >/dev/null 2>&1
is "$(status_of state)" no-culprit "a flake: no culprit"
ok -m "none holds the confidence" \
	awk -v p="$(status_of none)" 'BEGIN { exit !(p >= 0.99) }'
ok -m "and every candidate less" \
	awk -v p="$(status_of candidate | head -n 1 | cut -d' ' -f2)" 'BEGIN { exit !(p < 0.01) }'
is "$(sum_of)" 1.0000 "they add up"
halve reset >/dev/null 2>&1

# Believed: no probabilities to show.
halve start c60 c1 >/dev/null 2>&1
halve bad c40 >/dev/null 2>&1
capture halve status
unlike "$out" '^likeliest' "without --confidence status lists no likeliest answers"
is "$(status_of candidate)" "" "and the porcelain no candidate lines"
is "$(status_of none)" "" "nor none"
halve reset >/dev/null 2>&1

done_testing
