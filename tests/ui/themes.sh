# tests/ui/themes.sh: --theme picks a theme (built in, from
# $XDG_CONFIG_HOME/halve/themes, or a file), NO_COLOR keeps only the mono
# rules, colour numbers fold down on an 8-colour terminal, and a broken
# theme stops halve before it takes the screen, naming file and line.
: "${HALVE_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$HALVE_SRCDIR/tests/lib/tap.sh" || exit 99
. "$HALVE_SRCDIR/tests/lib/repo.sh" || exit 99
. "$HALVE_SRCDIR/tests/ui/lib.sh" || exit 99

repo_linear 8 5
halve start c8 c1 >/dev/null 2>&1

# colours NAME: the distinct colours (fg and bg) a dumpattr dump uses
colours() {
	sed '1,/^--- styles$/d' "$UI_DUMPS/$1" | sed -n 's/^.: //p' |
		awk '{ print $1; print $2 }' | sort -un | tr '\n' ' '
}

for theme in default mono light contrast; do
	ui_run -t "$theme" <<SCRIPT
feed build "cc: error: boom\r\n"
dumpattr $theme
SCRIPT
	is "$ui_rc" 0 "--theme $theme runs"
done
is "$(colours mono)" "-1 " "the mono theme uses no colour at all"
unlike "$(colours default)" "^-1 $" "the default theme uses colours"
like "$(colours light)" "[0-9]{3}" "light uses the 256-colour palette"

ui_run -e NO_COLOR=1 <<'SCRIPT'
dumpattr nocolor
SCRIPT
is "$(colours nocolor)" "-1 " "NO_COLOR: no colour"
like "$(sed -n '/^--- styles$/,$p' "$UI_DUMPS/nocolor")" "reverse" \
	"NO_COLOR: the mono rules still mark things (reverse)"

ui_run -term xterm -t light <<'SCRIPT'
dumpattr eight
SCRIPT
is "$ui_rc" 0 "a 256-colour theme runs on an 8-colour terminal"
ok -m "its colours fold into the 8 the terminal has ($(colours eight))" \
	sh -c "for c in $(colours eight); do [ \$c -le 7 ] || exit 1; done"

mkdir -p "$XDG_CONFIG_HOME/halve/themes"
cat >"$XDG_CONFIG_HOME/halve/themes/mine.theme" <<'THEME'
# mine: a user theme
color title.focus black green bold
mono  title.focus underline
THEME
ui_run -t mine <<'SCRIPT'
dumpattr mine
SCRIPT
is "$ui_rc" 0 "a user theme from \$XDG_CONFIG_HOME/halve/themes is used"
like "$(ui_style mine 0 2)" "^0 2 bold" "its rules apply (title.focus black on green)"

cat >"$XDG_CONFIG_HOME/halve/themes/broken.theme" <<'THEME'
color title red default
color title.focus purple default
THEME
ui_run -t broken <<'SCRIPT'
dump never
SCRIPT
is "$ui_rc" 1 "a broken theme exits 1"
is "$ui_err" "halve: $XDG_CONFIG_HOME/halve/themes/broken.theme:2: unknown colour 'purple'" \
	"and names the file and the line"
ok -m "before the screen is taken (no dump was made)" test ! -e "$UI_DUMPS/never"
ui_run -t nosuch <<'SCRIPT'
dump never
SCRIPT
is "$ui_rc" 1 "an unknown theme exits 1"
like "$ui_err" "^halve: theme nosuch: not found" "and says so"
done_testing
