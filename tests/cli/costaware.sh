# tests/cli/costaware.sh: with a pipeline config that builds, the next
# commit is the one a build costs least among those that split the range
# nearly as well as git's midpoint ([bisect] tolerance), as the build's own
# dependency files (gcc -MMD here) predict; [bisect] tolerance = 0, or
# nothing built yet, is git's pick exactly. The answer is git's either way,
# for fewer compiled files.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

command -v cc >/dev/null || skip_all "no C compiler"

repo_c_project
conf() {
	mkdir -p "$HOME/.config/halve"
	printf '[build]\ncommand = make -s\n[test]\ncommand = sh -c "test ! -e BUG"\n%s' "$1" \
		>"$HOME/.config/halve/config"
}
compiled() { cat cc.log 2>/dev/null | wc -l | tr -d ' '; }

git bisect start c40 c0 >/dev/null
git_pick=$(git rev-parse HEAD)
git bisect reset >/dev/null 2>&1

conf ''
halve start c40 c0 >out
ok -m "nothing built yet: git's pick" test "$(git rev-parse HEAD)" = "$git_pick"
halve reset >/dev/null

make -s >/dev/null 2>&1
ok -m "the build wrote its dependency files" test -e a.d

conf '[bisect]
tolerance = 0
'
halve start c40 c0 >out
ok -m "tolerance 0: git's pick" test "$(git rev-parse HEAD)" = "$git_pick"
fails -m "tolerance 0: no cost-aware choice to speak of" grep -q '^rebuild:' out
halve reset >/dev/null

conf ''
halve start c40 c0 >out
pick=$(git rev-parse HEAD)
ok -m "the default tolerance picks another commit" test "$pick" != "$git_pick"
ok -m "one whose build from c40 compiles nothing" \
	sh -c "! git diff --name-only $pick c40 | grep -q common.h"
ok -m "the output says so, with the midpoint's cost" \
	grep -q "^rebuild: 0 of 4 objects (the midpoint's: 3; 0\.[0-9][0-9] more steps expected)$" out
halve status --porcelain >st
ok -m "it is at most the tolerance's worth of steps off" \
	awk '$1 == "extra-steps" && $2 <= 0.05 { f = 1 } END { exit !f }' st
ok -m "status agrees with the checkout" test "$(status_of current)" = "$pick"
ok -m "porcelain: rebuild and the midpoint's" grep -qx 'rebuild 0 4' st
ok -m "porcelain: the midpoint's rebuild" grep -qx 'midpoint-rebuild 3' st
halve reset >/dev/null

# Whole bisections with real builds: the same answer as git, fewer files
# compiled than with git's picks.
git checkout -q c40 && make -s >/dev/null 2>&1 && rm -f cc.log
conf '[bisect]
tolerance = 0
'
halve start c40 c0 >/dev/null
halve run >run0 2>&1
plain=$(compiled)
ok -m "tolerance 0: the culprit" grep -q "^$(sha c31) is the first bad commit" run0
halve reset >/dev/null
git checkout -q c40 && make -s >/dev/null 2>&1 && rm -f cc.log
conf ''
halve start c40 c0 >/dev/null
halve run >run1 2>&1
costed=$(compiled)
ok -m "cost-aware: the same culprit" grep -q "^$(sha c31) is the first bad commit" run1
ok -m "cost-aware: fewer files compiled ($costed against $plain)" test "$costed" -lt "$plain"
halve reset >/dev/null

conf '[bisect]
tolerance = 2
'
halve start c40 c0 >/dev/null
halve run >out 2>&1
ok -m "a tolerance out of range is refused" \
	grep -q "config:6: bad value '2' for tolerance (want a number of steps from 0 to 1" out
halve reset >/dev/null

# Objects in a build directory of their own: [bisect] build-dir.
git checkout -q c40
rm -f ./*.o ./*.d
mkdir -p objs
for f in a b c main; do cc -MMD -MF objs/$f.d -c -o objs/$f.o $f.c; done
conf '[bisect]
build-dir = objs
'
halve start c40 c0 >st
ok -m "build-dir: its dependency files are read" grep -q '^rebuild: 0 of 4 objects' st
halve reset >/dev/null

done_testing
