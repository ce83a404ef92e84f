# tests/cli/log-replay.sh: `halve log` prints the session's log in git's
# BISECT_LOG format, and `halve replay FILE` rebuilds a session from such a
# log, whether halve or git wrote it.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

repo_linear 20 13

# The refs of a session, and (unless a skip was the last mark: there halve
# chooses differently from git) its HEAD: what a replay must reproduce.
session() {
	git for-each-ref --format='%(refname) %(objectname)' refs/bisect
}

# The same marks made with git, for reference.
git bisect start c20 c1 >/dev/null 2>&1
git bisect good >/dev/null 2>&1
git bisect skip >/dev/null 2>&1
git bisect bad c16 >/dev/null 2>&1
git bisect log >"$TEST_DIR/git.log" 2>/dev/null
git_session=$(session)
git bisect reset >/dev/null 2>&1

halve start c20 c1 >/dev/null 2>&1
halve good >/dev/null 2>&1
halve skip >/dev/null 2>&1
halve bad c16 >/dev/null 2>&1
capture halve log
is "$rc" 0 "log exits 0"
is "$out" "$(cat .git/BISECT_LOG)" "log prints BISECT_LOG"
like "$out" '^git bisect start' "the log starts the session as git does"
is "$(grep -E '^git bisect (good|bad|skip) ' .git/BISECT_LOG)" \
	"$(grep -E '^git bisect (good|bad|skip) ' "$TEST_DIR/git.log")" \
	"the log's marks are written exactly as git writes them"
is "$(grep -E '^# (good|bad|skip): ' .git/BISECT_LOG)" \
	"$(grep -E '^# (good|bad|skip): ' "$TEST_DIR/git.log")" \
	"the log's comments are written exactly as git writes them"
is "$(session)" "$git_session" "the session's refs match git's"
halve log >"$TEST_DIR/halve.log" 2>/dev/null
halve_head=$(git rev-parse HEAD)
halve reset >/dev/null 2>&1

capture halve replay "$TEST_DIR/halve.log"
is "$rc" 0 "replay of halve's own log exits 0"
is "$(session)" "$git_session" "replay of halve's log rebuilds the session"
is "$(git rev-parse HEAD)" "$halve_head" "replay of halve's log checks out the same commit"
is "$(status_of state)" bisecting "the replayed session is bisecting"
halve reset >/dev/null 2>&1

capture halve replay "$TEST_DIR/git.log"
is "$rc" 0 "replay of git's log exits 0"
is "$(session)" "$git_session" "replay of git's log rebuilds git's session"
is "$(git rev-parse HEAD)" "$halve_head" "replay of git's log checks out what halve would"
halve reset >/dev/null 2>&1

# A replay replaces whatever session was running.
halve start c20 c18 >/dev/null 2>&1
halve good c19 >/dev/null 2>&1
halve replay "$TEST_DIR/git.log" >/dev/null 2>&1
is "$(session)" "$git_session" "replay over a running session replaces it"
halve reset >/dev/null 2>&1

# A log that reaches the answer replays to the answer.
write_oracle "$TEST_DIR/oracle"
halve start c20 c1 >/dev/null 2>&1
halve run "$TEST_DIR/oracle" >/dev/null 2>&1
capture halve log
like "$out" "^# first bad commit: \[$(sha c13)\] c13\$" "after the answer, the log records the first bad commit as git does"
halve log >"$TEST_DIR/found.log" 2>/dev/null
halve reset >/dev/null 2>&1
capture halve replay "$TEST_DIR/found.log"
is "$(found_in "$out")" "$(sha c13)" "replay of a finished log announces the first bad commit"
is "$(status_of first-bad)" "$(sha c13)" "the replayed session knows its first bad commit"
halve reset >/dev/null 2>&1

# When only skipped commits are left, the log says so as git's does.
git bisect start c20 c1 >/dev/null 2>&1
git bisect good c12 >/dev/null 2>&1
git bisect bad c15 >/dev/null 2>&1
git bisect skip c13 c14 >/dev/null 2>&1
git_comments=$(git bisect log 2>/dev/null | grep -E '^# (only|possible)' | sort)
git bisect reset >/dev/null 2>&1
halve start c20 c1 >/dev/null 2>&1
halve good c12 >/dev/null 2>&1
halve bad c15 >/dev/null 2>&1
halve skip c13 c14 >/dev/null 2>&1
is "$(halve log 2>/dev/null | grep -E '^# (only|possible)' | sort)" "$git_comments" \
	"the log lists the possible first bad commits as git does"
halve reset >/dev/null 2>&1

# Custom terms survive the round trip through git's log format.
git bisect start --term-old=fast --term-new=slow c20 c1 >/dev/null 2>&1
git bisect fast c5 >/dev/null 2>&1
git bisect slow c17 >/dev/null 2>&1
git bisect log >"$TEST_DIR/terms.log" 2>/dev/null
git_session=$(session)
git bisect reset >/dev/null 2>&1
capture halve replay "$TEST_DIR/terms.log"
is "$rc" 0 "replay of a log with custom terms exits 0"
is "$(session)" "$git_session" "replay with custom terms rebuilds the session"
is "$(status_of terms)" "fast slow" "replay with custom terms restores the terms"
halve reset >/dev/null 2>&1

# The log of a session with a pathspec replays with it.
git bisect start c20 c1 -- f BUG >/dev/null 2>&1
git bisect good >/dev/null 2>&1
git bisect log >"$TEST_DIR/paths.log" 2>/dev/null
git_session=$(session)
git_names=$(cat .git/BISECT_NAMES)
git bisect reset >/dev/null 2>&1
halve replay "$TEST_DIR/paths.log" >/dev/null 2>&1
is "$(session)" "$git_session" "replay with a pathspec rebuilds the session"
is "$(cat .git/BISECT_NAMES 2>/dev/null)" "$git_names" "replay with a pathspec writes BISECT_NAMES as git does"
halve reset >/dev/null 2>&1

capture halve log
ok -m "log with no session fails" test "$rc" != 0
like "$err" '^halve: ' "log with no session is a halve: error"

done_testing
