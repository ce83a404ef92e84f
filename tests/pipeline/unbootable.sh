# tests/pipeline/unbootable.sh: a pipeline with no [build] command whose
# boot cannot even start (the kernel file is missing) on hundreds of
# commits in a row. Each commit is skipped in turn, with a verdict file
# saying why, until only skipped commits are left; going from one skip to
# the next takes no deeper stack each time (the run is held to a small
# stack to prove it). No qemu is run: it needs none.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"

# 300 commits through fast-import: one git commit at a time would take
# most of the test's time.
n=300
repo_new repo
i=1
while [ "$i" -le "$n" ]; do
	printf 'commit refs/heads/main\ncommitter T <t@example.com> %d +0000\n' \
		$((1136214240 + i * 60))
	printf 'data <<EOM\nc%d\nEOM\n' "$i"
	printf 'M 644 inline f\ndata <<EOM\n%d\nEOM\n\n' "$i"
	i=$((i + 1))
done | git fast-import --quiet || bail_out "fast-import failed"
git reset -q --hard main || bail_out "no main branch"

cat >"$TEST_DIR/unbootable.conf" <<'EOT'
[boot]
qemu = qemu-system-x86_64 -kernel no-kernel-here -initrd no-initrd-here
EOT
halve start --config "$TEST_DIR/unbootable.conf" main "main~$((n - 1))" >/dev/null 2>&1 ||
	bail_out "halve start failed"

# 128 KiB of stack: far more than one step needs, far less than a stack
# frame or more per skipped commit would need for hundreds of them.
capture sh -c 'ulimit -s 128 && exec "$HALVE" run'
is "$rc" 2 "every commit unbootable: the run ends with only skipped commits (exit 2)"
like "$out" "only 'skip'ped commits left" "and says so"
is "$(listed_in "$out" | wc -l)" $((n - 1)) "listing all $((n - 1)) commits that could be the first bad one"
[ "$rc" = 2 ] || tap_show "halve's stderr" "$TEST_DIR/.cap-err"
is "$(git for-each-ref 'refs/bisect/skip-*' | wc -l)" $((n - 2)) \
	"a skip for each of the $((n - 2)) commits tested"
is "$(ls .git/halve/steps | wc -l)" $((n - 2)) "and a step directory for each"
mid=$(git rev-parse "main~$((n / 2))")
is "$(awk '$1 == "verdict" { print $2 }' ".git/halve/steps/$mid/verdict")" skip \
	"a verdict file says skip"
is "$(sed -n 's/^reason //p' ".git/halve/steps/$mid/verdict")" \
	"the build made no no-kernel-here" "because the kernel is missing"
ok -m "git bisect log reads the session" git bisect log
is "$(git bisect log | grep -c '^git bisect skip ')" $((n - 2)) "with every skip in it"

done_testing
