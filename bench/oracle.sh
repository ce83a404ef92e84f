#!/bin/sh
# bench/oracle.sh: the test command of the skip benchmark, the same for
# `git bisect run` and `halve run`.
#
# The commit under test is BISECT_HEAD (a --no-checkout session) or HEAD.
# It is logged to $ORACLE_DIR/tests (one line per invocation: the count of
# tests), then: exit 125 when it is listed in $ORACLE_DIR/untestable,
# 1 (bad) when $ORACLE_DIR/culprit is an ancestor of it (or it), else 0.
# It must stay cheap and must not depend on which tool runs it.
c=$(git rev-parse -q --verify BISECT_HEAD 2>/dev/null || git rev-parse HEAD) || exit 255
printf '%s\n' "$c" >> "$ORACLE_DIR/tests"
if grep -qxF "$c" "$ORACLE_DIR/untestable"; then
	exit 125
fi
if git merge-base --is-ancestor "$(cat "$ORACLE_DIR/culprit")" "$c"; then
	exit 1
fi
exit 0
