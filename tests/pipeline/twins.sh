# tests/pipeline/twins.sh: a revert and its reapply give a commit the
# tree of another. A believing `halve run` marks such a commit with its
# twin's verdict, neither building nor booting it, says why in the
# step's build.log and in BISECT_LOG (a comment git's replay skips), and
# finds what git finds. A commit run with its twin's tree (a re-test, a
# weighed run) boots the twin's kept build instead of building: the
# build script counts its runs in builds.log.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

# c3 brings the failure in, c4 reverts it (c2's tree), c5 reapplies it
# (c3's tree), c6..c9 keep it.
make_guest_repo okay okay failed
repo_tick
git revert --no-edit HEAD >/dev/null || bail_out "revert failed"
git tag c4
repo_tick
git revert --no-edit HEAD >/dev/null || bail_out "reapply failed"
git tag c5
for n in 6 7 8 9; do
	guest_commit "c$n: failed" failed
	git tag "c$n"
done
c3=$(sha c3)
c5=$(sha c5)
[ "$(git rev-parse c3^{tree})" = "$(git rev-parse c5^{tree})" ] ||
	bail_out "c5 does not have c3's tree"
guest_config "$TEST_DIR/halve.conf"
short() { printf '%.12s' "$1"; }
built() { awk -v c="$1" '$1 == c' "$TEST_DIR/builds.log" | wc -l; }

# What git finds, judging each tree by its guest's init.
cat >"$TEST_DIR/oracle.sh" <<'EOF'
#!/bin/sh
! grep -q 'RESULT: FAILED' init
EOF
chmod 755 "$TEST_DIR/oracle.sh"
git bisect start c9 c1 >/dev/null 2>&1
git_out=$(git bisect run "$TEST_DIR/oracle.sh" 2>/dev/null)
git_found=$(printf '%s\n' "$git_out" | sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit$/\1/p')
git bisect reset >/dev/null 2>&1
is "$git_found" "$c3" "(git finds c3)"

# (b) Believed: c5 is built and booted, c3 is marked from it.
halve start --config "$TEST_DIR/halve.conf" c9 c1 >/dev/null 2>&1 ||
	bail_out "start failed"
is "$(git rev-parse HEAD)" "$c5" "(c5 is tested first)"
run_pipeline run
is "$rc" 0 "the believing run ends"
is "$(found_in "$out")" "$git_found" "and finds what git finds"
like "$out" "^$(short "$c3") has the tree of $(short "$c5"), marked bad: \"halve bad\" agrees with it\$" \
	"its step says whose tree c3 has"
like "$out" "^  $(short "$c3"): bad: $(short "$c3") has the tree of $(short "$c5"), marked bad: not built or booted again\$" \
	"and its verdict says why"
is "$(built "$c3")" 0 "c3 is not built"
is "$(built "$c5")" 1 "(c5 is, once)"
ok -m "nor booted" test ! -e "$(step_dir c3)/console.log"
is "$(cat "$(step_dir c3)/build.log")" \
	"halve: $(short "$c3") has the tree of $(short "$c5"), marked bad: not built or booted again" \
	"its build.log says why"
is "$(verdict_of c3 verdict)" bad "its verdict file says bad"
is "$(grep -B2 "^git bisect bad $c3\$" .git/BISECT_LOG | sed -n 1p)" \
	"# halve: $(short "$c3") has the tree of $(short "$c5"), marked bad: not built or booted again" \
	"BISECT_LOG gives the reason in a comment above the mark"

halve log >"$TEST_DIR/halve.log"

# (a) c3 run again (re-tested): c5's kept build is booted, not built.
: >"$TEST_DIR/builds.log"
run_pipeline run --retest c3
is "$rc" 0 "run --retest c3 exits 0"
[ "$rc" = 0 ] || diag "$err"
is "$(built "$c3")" 0 "c3 is still not built"
is "$(sed -n 1p "$(step_dir c3)/build.log")" \
	"halve: not built again: the tree of $(short "$c3") was built for $(short "$c5"), initrd.img put back" \
	"its build.log says whose build it boots"
ok -m "it booted, and failed" grep -q 'RESULT: FAILED' "$(step_dir c3)/console.log"
is "$(verdict_of c3 verdict)" bad "its verdict is bad"
ok -m "and c3 keeps that build as its own (for verify's comparisons)" \
	cmp "$(step_dir c3)/artifacts/initrd" "$(step_dir c5)/artifacts/initrd"

# (e) The believing run's log replays, with git and with halve, to the
# same answer.
halve reset >/dev/null 2>&1
capture git bisect replay "$TEST_DIR/halve.log"
is "$rc" 0 "git bisect replay takes halve's log"
like "$out" "^$c3 is the first bad commit\$" "and finds c3"
git bisect reset >/dev/null 2>&1
capture halve replay "$TEST_DIR/halve.log"
is "$rc" 0 "halve replay takes it"
is "$(found_in "$out")" "$c3" "and finds c3"
halve reset >/dev/null 2>&1

# (c) Weighed: a repeat is information, so c3 is booted, but with the
# kernel of its tree kept from c5's build.
: >"$TEST_DIR/builds.log"
rm -rf "$(step_dir c3)"
halve start --config "$TEST_DIR/halve.conf" c9 c1 >/dev/null 2>&1 ||
	bail_out "start failed"
run_pipeline run --confidence 0.9
is "$rc" 0 "the weighed run ends"
is "$(found_in "$out")" "$c3" "and finds c3"
unlike "$out" "agrees with it" "it takes no verdict from a twin"
ok -m "c3 is booted" grep -q 'RESULT: FAILED' "$(step_dir c3)/console.log"
is "$(built "$c3")" 0 "but not built"
ok -m "its (first) build.log says whose build it boots" \
	grep -qsx "halve: not built again: the tree of $(short "$c3") was built for $(short "$c5"), initrd.img put back" \
	"$(step_dir c3)/build.log" "$(step_dir c3)".*/build.log

done_testing
