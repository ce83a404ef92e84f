# tests/ui/safety.sh: text from the repository is drawn, never obeyed. A
# commit subject carrying escape sequences (a window title, a screen
# clear, a C1 CSI, DEL, bytes that are no UTF-8) shows as visible ^[ and
# <9b> forms; the real terminal sees no title, no bell, no clear: the
# screen it ends with is the one the workstation dumped.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

repo_new
repo_commit "base"
repo_commit "$(printf 'evil\033]0;pwned\007 \033[2J\033[H x\302\233y\177z \377 end')" f evil 2>/dev/null
repo_commit "$(printf 'tab\there and a bell\007')" f bell
repo_commit "plain tip"
git tag tip

halve start tip HEAD~3 >/dev/null 2>&1
ui_run -s 100x12 <<'SCRIPT'
key z
dump evil
key /
type pwned
key Enter
dump searched
SCRIPT
is "$ui_rc" 0 "the workstation draws hostile subjects"
line=$(ui_line evil 'evil')
# (git itself turns the stray \377 into a Latin-1 ÿ)
like "$line" 'evil\^\[\]0;pwned\^G \^\[\[2J\^\[\[H x<9b>y\^\?z ÿ end' \
	"escapes, C1 controls and DEL are drawn visibly"
like "$(ui_line evil 'tab')" 'tab\^Ihere and a bell\^G' "tabs and bells in subjects too"
is "$(cat "$UI_DUMPS/termlog")" "" "the terminal saw no title and no bell"
is "$(ui_dump final)" "$(ui_dump searched)" "the terminal shows what the workstation drew, nothing cleared"
like "$(ui_line searched 'evil')" 'evil' "search matches text with escapes in it"

# The same in the C locale: bytes above 127 are shown, not sent.
UI_LOCALE=C ui_run -s 100x12 <<'SCRIPT'
key z
dump evil-c
SCRIPT
like "$(ui_line evil-c 'evil')" 'x<c2><9b>y\^\?z <c3><bf> end' \
	"in the C locale every byte above 127 is drawn as <xx>"
is "$(cat "$UI_DUMPS/termlog")" "" "and the terminal still sees no title"
done_testing
