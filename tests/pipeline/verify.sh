# tests/pipeline/verify.sh: `halve verify` with no command checks the
# culprit with the pipeline: each check a real build and boot, a commit
# run before booting the build it kept, BAD with the culprit reverted
# built and booted like any commit. `run --verify` and [verify]
# after-run = yes verify what the run found; a culprit whose image is
# its parent's is doubted; a wrong answer is caught.
. "$HALVE_SRCDIR/tests/lib/tap.sh"
. "$HALVE_SRCDIR/tests/lib/repo.sh"
. "$HALVE_SRCDIR/tests/pipeline/lib.sh"
pipeline_require

# "verified: parent good 2/2, ..." -> the runs of the checks in the range
in_range_runs() {
	printf '%s\n' "$1" | sed -n 's/^verified: //p' | tr ',' '\n' |
		grep -v 'without culprit' | sed 's|.* [0-9]*/||' |
		awk '{ n += $1 } END { print n + 0 }'
}

# c3 brings the bug; c4 only adds notes, so reverting c3 onto it applies.
make_guest_repo okay okay failed
repo_tick
echo "notes" >NOTES
git add NOTES && git commit -q -m "c4: notes" && git tag c4
guest_config "$TEST_DIR/halve.conf"

capture halve start --config "$TEST_DIR/halve.conf" c4 c1
run_pipeline run
is "$(found_in "$out")" "$(sha c3)" "the run finds c3"
: >"$TEST_DIR/builds.log"
observed=$(grep -c '^# halve observed' .git/BISECT_LOG)

run_pipeline verify --confidence 0.9
is "$rc" 0 "halve verify (no command) exits 0"
[ "$rc" = 0 ] || tap_show "halve's stderr" "$TEST_DIR/.cap-err"
like "$out" "verify: parent $(git rev-parse --short=12 c2)" "it checks the parent, c2"
like "$out" "verify: culprit $(git rev-parse --short=12 c3)" "the culprit, c3"
like "$out" "verify: BAD $(git rev-parse --short=12 c4)" "BAD, c4"
like "$out" "verify: BAD without the culprit [0-9a-f]{12}" "and BAD with c3 reverted"
like "$out" "^verified: parent good ([0-9]+)/\\1, culprit bad ([0-9]+)/\\2, BAD without culprit good ([0-9]+)/\\3, BAD bad ([0-9]+)/\\4\$" \
	"verified: every run as it should be (the pipeline's verdicts never lied)"
unlike "$out" "doubt:" "no doubt about c3"
reverted=$(printf '%s\n' "$out" | sed -n 's/^verify: BAD without the culprit \([0-9a-f]*\)$/\1/p' | head -n 1)
built=$(while read -r b_c b_rest; do git rev-parse --short=12 "$b_c"; done <"$TEST_DIR/builds.log" | sort | tr '\n' ' ')
want=$(printf '%s\n' "$(git rev-parse --short=12 c4)" "$reverted" | sort | tr '\n' ' ')
is "$built" "$want" "only c4 and the reverted commit were built: c2 and c3 booted the builds the run kept"
is "$(git rev-parse HEAD)" "$(sha c3)" "the culprit is checked out again"
is "$(status_of state)" found "the session still has its answer"
like "$(grep '^# halve: verified' .git/BISECT_LOG)" "verified: parent good" "the log says it was verified"
is "$(($(grep -c '^# halve observed' .git/BISECT_LOG) - observed))" "$(in_range_runs "$out")" \
	"the runs in the range are results of the session (the reverted commit's are not)"
ok -m "BAD without the culprit is on no branch" \
	test -z "$(git branch -a --contains "$(git rev-parse "$reverted")" 2>/dev/null)"

# A culprit that builds its parent's very image: the failure came from
# elsewhere (here the machine, which fails the guest where BROKEN is).
# run --verify: found, then verified, from one run.
halve reset >/dev/null 2>&1
make_guest_repo flaky flaky
repo_tick
echo "nothing the build reads" >BROKEN
git add BROKEN && git commit -q -m "c3: broken" && git tag c3
env_qemu "$TEST_DIR/qemu"
guest_config "$TEST_DIR/env.conf" boot.qemu-prog="$TEST_DIR/qemu"
printf '[verify]\nconfidence = 0.9\n' >>"$TEST_DIR/env.conf"
capture halve start --config "$TEST_DIR/env.conf" c3 c1
run_pipeline run --verify
is "$rc" 0 "run --verify (no command) exits 0"
is "$(found_in "$out")" "$(sha c3)" "the run names c3"
line_of() {
	printf '%s\n' "$out" | grep -n -m 1 -e "$1" | cut -d: -f1
}
found_at=$(line_of 'is the first bad commit')
check_at=$(line_of '^verify: ')
end_at=$(line_of '^verified:')
ok -m "the answer first (line $found_at), then the checks ($check_at), then the outcome ($end_at)" \
	test "${found_at:-0}" -gt 0 -a "${check_at:-0}" -gt "${found_at:-0}" -a "${end_at:-0}" -gt "${check_at:-0}"
like "$out" "doubt: $(git rev-parse --short=12 c3) builds the very kernel its parent builds" \
	"and verify doubts it: its image is c2's, byte for byte"

# A wrong answer caught: a guest that fails every other boot misleads a
# believing run (c4 brings the bug, but its first boot passes); verify,
# here from [verify] after-run = yes, boots the named commit's parent
# again and sees it fail.
halve reset >/dev/null 2>&1
make_guest_repo okay okay okay flaky flaky flaky
flaky_qemu "$TEST_DIR/qemu"
guest_config "$TEST_DIR/flaky.conf" boot.qemu-prog="$TEST_DIR/qemu"
printf '[verify]\nafter-run = yes\nconfidence = 0.9\n' >>"$TEST_DIR/flaky.conf"
capture halve start --config "$TEST_DIR/flaky.conf" c6 c1
run_pipeline run
named=$(found_in "$out")
ok -m "a believing run names a wrong commit ($(git log -1 --format=%s "$named" 2>/dev/null))" \
	test -n "$named" -a "$named" != "$(sha c4)"
is "$rc" 6 "[verify] after-run = yes: halve run verifies, and exits 6: not verified"
like "$out" "not verified: parent [0-9a-f]{12} failed [0-9]+ of [0-9]+ runs: the culprit may be earlier" \
	"the parent failed: the culprit may be earlier"

done_testing
