# tests/cli/local.mk: the CLI scenarios (shell, TAP). Each script builds its
# own repositories with tests/lib/repo.sh and drives $HALVE; several compare
# halve with git bisect itself on the same repository.
CLI_TESTS = \
	tests/cli/usage.sh \
	tests/cli/start.sh \
	tests/cli/marks.sh \
	tests/cli/skip.sh \
	tests/cli/run.sh tests/cli/confidence.sh tests/cli/verify.sh \
	tests/cli/candidates.sh \
	tests/cli/costaware.sh \
	tests/cli/log-replay.sh \
	tests/cli/reset.sh \
	tests/cli/errors.sh \
	tests/cli/view.sh \
	tests/cli/pathspec.sh \
	tests/cli/first-parent-descend.sh \
	tests/cli/interop.sh \
	tests/cli/differential.sh \
	tests/cli/submodules.sh \
	tests/cli/worktree.sh \
	tests/cli/git-edge.sh \
	tests/cli/graph-sources.sh \
	tests/cli/pipeline-commands.sh \
	tests/cli/session-safety.sh \
	tests/cli/crash.sh \
	tests/cli/git-compat.sh \
	tests/cli/range-file.sh \
	tests/cli/twins.sh \
	tests/cli/setup.sh tests/cli/doctor.sh tests/cli/distcc.sh tests/cli/buildpick.sh tests/cli/icecc.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS)
