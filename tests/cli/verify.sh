# tests/cli/verify.sh: `halve verify CMD` and `halve run --verify CMD`
# check a named culprit before anyone is told: its parents pass, it and
# BAD fail, BAD with the culprit reverted (a commit on no branch) passes,
# each run until sure; a culprit a wrong mark named is caught, and
# culprits that deserve doubt are flagged.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

# Each commit writes its own file, so that any one reverts cleanly; c13
# brings the bug, c17 only documentation.
repo_new
i=1
while [ "$i" -le 20 ]; do
	[ "$i" -eq 13 ] && echo bug >BUG && git add BUG
	if [ "$i" -eq 17 ]; then
		mkdir -p Documentation
		repo_commit "c$i" Documentation/notes.rst "notes"
	else
		repo_commit "c$i" "f$i"
	fi
	git tag "c$i"
	i=$((i + 1))
done
branches=$(git for-each-ref --format='%(refname)' refs/heads refs/tags | sort)

halve start c20 c1 >/dev/null 2>&1
capture halve run --verify sh -c 'test ! -e BUG'
is "$rc" 0 "run --verify: exit 0 when the culprit is verified"
is "$(found_in "$out")" "$(sha c13)" "it names the culprit first"
like "$out" '^verified: parent good [0-9]+/[0-9]+, culprit bad [0-9]+/[0-9]+, BAD without culprit good [0-9]+/[0-9]+, BAD bad [0-9]+/[0-9]+$' \
	"then every check, each as runs that agreed out of runs"
like "$out" '^verify: BAD without the culprit [0-9a-f]{12}$' \
	"the culprit reverted on BAD was run"
is "$(git rev-parse HEAD)" "$(sha c13)" "the culprit is checked out again afterwards"
is "$(git for-each-ref --format='%(refname)' refs/heads refs/tags | sort)" "$branches" \
	"the reverted commit is on no branch and no tag of the user's"
ok -m "the log says what was verified" grep -q '^# halve: verified: parent good' .git/BISECT_LOG
ok -m "and keeps the runs as results" grep -q "^# halve observed bad $(sha c13) " .git/BISECT_LOG
is "$(status_of state)" found "the session still names the culprit"
capture halve verify sh -c 'test ! -e BUG'
is "$rc" 0 "halve verify CMD on a finished session: verified again"
unlike "$out" '^doubt:' "no doubt about a commit that changes code"
halve reset >/dev/null 2>&1

# A wrong mark named the culprit: the check catches it.
halve start c20 c1 >/dev/null 2>&1
halve bad c10 >/dev/null 2>&1
halve good c9 >/dev/null 2>&1
is "$(status_of first-bad)" "$(sha c10)" "a wrong bad mark names c10"
capture halve verify sh -c 'test ! -e BUG'
is "$rc" 6 "verify: exit 6 when a check fails"
like "$out" '^not verified: the culprit passed [0-9]+ of [0-9]+ runs: a flake may have named it$' \
	"it says the culprit passes, and what that means"
halve reset >/dev/null 2>&1

# A culprit that only changes documentation is verified, with a doubt.
halve start c20 c1 >/dev/null 2>&1
capture halve run --verify sh -c 'test ! -e Documentation/notes.rst'
is "$(found_in "$out")" "$(sha c17)" "a test that depends on a document names the commit that adds it"
like "$out" "^doubt: $(git rev-parse --short=12 c17) changes only documentation" \
	"and flags it: no build reads what it changes"
halve reset >/dev/null 2>&1

# Bad input.
halve start c20 c1 >/dev/null 2>&1
before=$(bisect_state)
capture halve verify sh -c 'test ! -e BUG'
is "$rc" 1 "verify before a culprit is known: an error"
like "$err" '^halve: verify: no first bad commit to verify yet$' "that says so"
is "$(bisect_state)" "$before" "and writes nothing"
capture halve verify
is "$rc" 1 "verify without a command and without a pipeline config: an error"
like "$err" '^halve: run: no pipeline config' "that says there is no pipeline to verify with"
is "$(bisect_state)" "$before" "and writes nothing"
capture halve verify --confidence 2 true
is "$rc" 129 "verify --confidence 2: a usage error"
halve reset >/dev/null 2>&1

done_testing
