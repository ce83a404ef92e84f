# tests/cli/usage.sh: the command line describes itself: --version, --help
# and `halve help SUBCOMMAND`, on stdout with exit 0, in or out of a
# repository.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99

capture halve --version
is "$rc" 0 "--version exits 0"
like "$out" '^halve [0-9]+\.[0-9]+' "--version prints 'halve X.Y'"

capture halve --help
is "$rc" 0 "--help exits 0"
for verb in start good bad skip next status log replay reset terms view run descend ascend; do
	like "$out" "\\b$verb\\b" "--help lists $verb"
done

capture halve help start
is "$rc" 0 "help start exits 0"
like "$out" '--first-parent' "help start describes --first-parent"
like "$out" '--no-checkout' "help start describes --no-checkout"
like "$out" '--term-old' "help start describes --term-old"

capture halve help run
is "$rc" 0 "help run exits 0"
like "$out" '125' "help run explains exit code 125"

capture halve help descend
is "$rc" 0 "help descend exits 0"

capture halve help frobnicate
ok -m "help for an unknown subcommand fails" test "$rc" != 0
like "$err" '^halve: .*frobnicate' "and names it in a halve: error"

done_testing
