# tests/cli/differential.sh: halve against git itself. On 30 random
# histories (20 to 300 commits, merges, criss-crosses and octopus merges,
# fixed seeds) with a random culprit, `git bisect run` and `halve run` get
# the same test script; halve must name the same first bad commit and never
# run the script more often than git does.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

seed=1
while [ "$seed" -le 30 ]; do
	size=$((20 + (seed - 1) * 280 / 29))
	cd "$TEST_DIR"
	repo_random_dag "$seed" "$size" "dag-$seed"
	what="seed $seed, $size commits"
	oracle="$TEST_DIR/oracle-$seed"
	write_oracle "$oracle"

	git bisect start tip root >/dev/null 2>&1
	git_out=$(git bisect run "$oracle" 2>/dev/null)
	git_count=$(oracle_count "$oracle")
	git bisect reset >/dev/null 2>&1
	if [ "$(found_in "$git_out")" != "$REPO_CULPRIT" ]; then
		bail_out "$what: git bisect run did not find the culprit (the generator is wrong)"
	fi

	: >"$oracle.count"
	halve start tip root >/dev/null 2>&1
	capture halve run "$oracle"
	halve_count=$(oracle_count "$oracle")
	halve reset >/dev/null 2>&1
	is "$(found_in "$out") (exit $rc)" "$REPO_CULPRIT (exit 0)" \
		"$what: halve run finds git's first bad commit"
	ok -m "$what: halve ran the test $halve_count times, git $git_count" \
		test "$halve_count" -le "$git_count"

	# Every third history again along first parents only: git's answer
	# is then the first mainline commit with the bug.
	if [ $((seed % 3)) -eq 0 ]; then
		: >"$oracle.count"
		git bisect start --first-parent tip root >/dev/null 2>&1
		git_out=$(git bisect run "$oracle" 2>/dev/null)
		git_count=$(oracle_count "$oracle")
		git bisect reset >/dev/null 2>&1
		: >"$oracle.count"
		halve start --first-parent tip root >/dev/null 2>&1
		capture halve run "$oracle"
		halve_count=$(oracle_count "$oracle")
		halve reset >/dev/null 2>&1
		is "$(found_in "$out") (exit $rc)" "$(found_in "$git_out") (exit 0)" \
			"$what, --first-parent: halve run finds git's first bad commit"
		ok -m "$what, --first-parent: halve ran the test $halve_count times, git $git_count" \
			test "$halve_count" -le "$git_count"
	fi
	seed=$((seed + 1))
done

done_testing
