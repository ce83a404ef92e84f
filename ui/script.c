/*
 * script.c: the scripted mode (`halve --script FILE`) the UI tests use,
 * in the manner of tig's TIG_SCRIPT: commands run one at a time, each
 * when the loop is idle (nothing to read, no timer due, the screen
 * redrawn), so a test waits on quiet, never on a clock. The clock of the
 * status bar stands still (see `clock`).
 *
 *   key KEY...             keys by name (keys.h): key g, key C-a c
 *   type TEXT              each character of TEXT as a key
 *   resize COLS ROWS       resize the terminal (the real SIGWINCH path)
 *   feed build|console "S" bytes into a pane; \r \n \t \e \\ \" \xNN
 *   feedfile build|console FILE
 *   stage TEXT | stage -   the status bar's stage (- ends the step)
 *   clock MS               the frozen clock reads MS
 *   click ROW COL          a mouse click; wheel ROW COL up|down
 *   sh COMMAND             run COMMAND (sh -c) and wait for it
 *   expect "REGEX"         the screen must match (pcre2), else fail; in
 *                          the quotes only \" is an escape
 *   wait-for "REGEX"       the script stops until the screen matches: for
 *                          what real processes do (a pipeline's build and
 *                          boot); while it waits, the loop looks again
 *                          whenever it has been quiet for 50 ms
 *   wait-in build|console "REGEX"
 *                          the same, but any line the pane holds counts,
 *                          scrollback included (for text that scrolls
 *                          by faster than a screen can be looked at)
 *   dump NAME              the screen as text into NAME ($HALVE_DUMP_DIR/NAME
 *                          when set)
 *   dumpattr NAME          the same, then "--- styles", a map of styles
 *                          (a letter per cell), and a legend of the letters
 *                          ("a: FG BG [bold ...]", colours -1 for default)
 *   load hold | load go    hold the graph's range half read (its top
 *                          rows only, as on a first paint) or read on;
 *                          runs at once even while the range loads, so a
 *                          first line `load hold` sees the first paint
 *                          ($HALVE_GRAPH_CHUNK sets the commits read per
 *                          piece, the first piece included)
 *   quit                   as q (the end of the script quits too)
 *
 * Commands wait for the graph's range to be read whole (a script reads
 * it a piece an idle turn, where the workstation uses a timer) and the
 * step to be computed, unless `load hold` holds it.
 *
 * "Idle" is the loop's idle turn, or, when a process behind a pane keeps
 * the loop busy (a guest booting prints all the time), a 50 ms timer
 * that finds nothing of the workstation's own pending (no redraw, no
 * step to compute): the script must be able to type into a boot.
 *
 * A bad line stops the script with "FILE:LINE: what" on stderr and exit
 * status 2; a failed expect exits 1 after the script ends.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "termpane.h"
#include "tuiint.h"

struct script {
	char *file;
	struct strbuf text;
	const char *next;	/* the next line */
	int lineno;
	int failed;		/* an expect failed */
	struct strbuf errors;
	void *wait_re;		/* wait-for: pcre2_code *, NULL when not */
	char *wait_what;
	int wait_pane;		/* wait-in: PANE_BUILD or PANE_CONSOLE; -1 */
	struct hv_timer *busy_timer;
};

void
script_free(struct script *sc)
{
	if (sc->busy_timer)
		hv_timer_free(sc->busy_timer);
	free(sc->file);
	pcre2_code_free(sc->wait_re);
	free(sc->wait_what);
	sb_release(&sc->text);
	sb_release(&sc->errors);
	free(sc);
}

static void script_advance(struct hv_tui *t);

static void
on_busy_timer(struct hv_loop *loop, struct hv_timer *tm, void *arg)
{
	struct hv_tui *t = arg;

	/* a redraw may be due in this very turn: the commands that look at
	 * the screen redraw it first themselves */
	if (!t->step_pending && !t->quit)
		script_advance(t);
}

int
script_open(struct hv_tui *t, const char *file, struct hv_error *err)
{
	struct script *sc = xcalloc(1, sizeof(*sc));

	if (hv_read_file(file, &sc->text) < 0) {
		hv_error_set(err, "%s: %s", file, strerror(errno));
		script_free(sc);
		return -1;
	}
	sc->file = xstrdup(file);
	sc->next = sc->text.buf ? sc->text.buf : "";
	sc->busy_timer = hv_timer_new(t->loop, on_busy_timer, t);
	hv_timer_start(sc->busy_timer, 50, 1);
	t->script = sc;
	return 0;
}

/* Unquotes "..." with C escapes into sb; returns -1 when malformed. */
static int
unquote(const char *s, struct strbuf *sb)
{
	if (*s != '"')
		return -1;
	for (s++; *s && *s != '"'; s++) {
		if (*s != '\\') {
			sb_addc(sb, *s);
			continue;
		}
		switch (*++s) {
		case 'r': sb_addc(sb, '\r'); break;
		case 'n': sb_addc(sb, '\n'); break;
		case 't': sb_addc(sb, '\t'); break;
		case 'e': sb_addc(sb, 27); break;
		case 'a': sb_addc(sb, 7); break;
		case 'b': sb_addc(sb, 8); break;
		case '0': sb_addc(sb, 0); break;
		case '\\': sb_addc(sb, '\\'); break;
		case '"': sb_addc(sb, '"'); break;
		case 'x': {
			char hex[3] = { 0, 0, 0 };

			if (!s[1] || !s[2])
				return -1;
			hex[0] = s[1];
			hex[1] = s[2];
			sb_addc(sb, (char)strtol(hex, NULL, 16));
			s += 2;
			break;
		}
		default:
			return -1;
		}
	}
	if (*s != '"' || s[1])
		return -1;
	if (!sb->buf)
		sb_adds(sb, "");
	return 0;
}

/* Unquotes "..." for pcre2: only \" is an escape here, every other
 * backslash goes to the regex as written (as in theme files). */
static int
unquote_regex(const char *s, struct strbuf *sb)
{
	if (*s != '"')
		return -1;
	for (s++; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1] == '"')
			s++;
		else if (*s == '\\' && s[1])
			sb_addc(sb, *s++);
		sb_addc(sb, *s);
	}
	if (*s != '"' || s[1])
		return -1;
	if (!sb->buf)
		sb_adds(sb, "");
	return 0;
}

void
screen_text(struct strbuf *sb)
{
	int y, x, cy, cx;

	/* reading curscr moves its cursor, which is where curses believes
	 * the terminal's cursor is: put it back */
	getyx(curscr, cy, cx);
	for (y = 0; y < LINES; y++) {
		size_t start = sb->len;

		for (x = 0; x < COLS; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t attrs;
			short pair;
			char mb[MB_LEN_MAX * (CCHARW_MAX + 1)];
			mbstate_t ps;
			int k, w;

			if (mvwin_wch(curscr, y, x, &cc) == ERR)
				break;
			if (getcchar(&cc, wch, &attrs, &pair, NULL) == ERR)
				continue;
			w = wcwidth(wch[0]);
			for (k = 0; wch[k]; k++) {
				size_t n;

				memset(&ps, 0, sizeof(ps));
				n = wcrtomb(mb, wch[k], &ps);
				if (n != (size_t)-1)
					sb_add(sb, mb, n);
			}
			if (!wch[0])
				sb_addc(sb, ' ');
			if (w == 2)
				x++;
		}
		while (sb->len > start && sb->buf[sb->len - 1] == ' ')
			sb->len--;
		sb_addc(sb, '\n');
	}
	wmove(curscr, cy, cx);
}

/* The styles of the screen: a letter per cell, and what each letter is. */
void
screen_styles(struct strbuf *sb)
{
	static const char letters[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	struct { int fg, bg; attr_t attrs; } seen[sizeof(letters) - 1];
	size_t nseen = 0, k;
	int y, x, cy, cx;
	static const struct { attr_t a; const char *name; } names[] = {
		{ A_BOLD, "bold" }, { A_DIM, "dim" }, { A_UNDERLINE, "underline" },
		{ A_REVERSE, "reverse" }, { A_BLINK, "blink" },
		{ A_ITALIC, "italic" }, { A_STANDOUT, "standout" },
	};

	getyx(curscr, cy, cx);
	for (y = 0; y < LINES; y++) {
		for (x = 0; x < COLS; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t attrs;
			short pair;
			int ext = 0, fg = -1, bg = -1;

			if (mvwin_wch(curscr, y, x, &cc) == ERR ||
			    getcchar(&cc, wch, &attrs, &pair, &ext) == ERR) {
				sb_addc(sb, '?');
				continue;
			}
			if (ext > 0)
				extended_pair_content(ext, &fg, &bg);
			attrs &= A_BOLD | A_DIM | A_UNDERLINE | A_REVERSE |
				 A_BLINK | A_ITALIC | A_STANDOUT;
			for (k = 0; k < nseen; k++)
				if (seen[k].fg == fg && seen[k].bg == bg &&
				    seen[k].attrs == attrs)
					break;
			if (k == nseen && nseen < sizeof(letters) - 1) {
				seen[k].fg = fg;
				seen[k].bg = bg;
				seen[k].attrs = attrs;
				nseen++;
			}
			sb_addc(sb, k < nseen ? letters[k] : '?');
		}
		sb_addc(sb, '\n');
	}
	wmove(curscr, cy, cx);
	for (k = 0; k < nseen; k++) {
		size_t a;

		sb_addf(sb, "%c: %d %d", letters[k], seen[k].fg, seen[k].bg);
		for (a = 0; a < HV_ARRAY_SIZE(names); a++)
			if (seen[k].attrs & names[a].a)
				sb_addf(sb, " %s", names[a].name);
		sb_addc(sb, '\n');
	}
}

static int
fail(struct hv_tui *t, struct script *sc, const char *fmt, const char *arg)
{
	sb_addf(&sc->errors, "%s:%d: ", sc->file, sc->lineno);
	sb_addf(&sc->errors, fmt, arg);
	sb_addc(&sc->errors, '\n');
	t->exit_code = 2;
	tui_quit(t);
	return -1;
}

static int
do_dump(struct hv_tui *t, struct script *sc, const char *name, int styles)
{
	struct strbuf screen = STRBUF_INIT;
	const char *dir = getenv("HALVE_DUMP_DIR");
	char *path = dir && *dir && name[0] != '/' ?
		     xasprintf("%s/%s", dir, name) : xstrdup(name);
	struct hv_error err = HV_ERROR_INIT;
	int rc = 0;

	tui_redraw_now(t);
	screen_text(&screen);
	if (styles) {
		sb_adds(&screen, "--- styles\n");
		screen_styles(&screen);
	}
	if (hv_write_file_atomic(path, screen.buf, screen.len, &err) < 0) {
		rc = fail(t, sc, "dump: %s", err.msg);
		hv_error_clear(&err);
	}
	sb_release(&screen);
	free(path);
	return rc;
}

static int
do_expect(struct hv_tui *t, struct script *sc, const char *arg)
{
	struct strbuf pat = STRBUF_INIT, screen = STRBUF_INIT;
	pcre2_code *re;
	pcre2_match_data *md;
	PCRE2_SIZE off;
	int code, rc;

	if (unquote_regex(arg, &pat) < 0) {
		sb_release(&pat);
		return fail(t, sc, "expect needs a \"quoted regex\"%s", "");
	}
	re = pcre2_compile((PCRE2_SPTR)pat.buf, PCRE2_ZERO_TERMINATED,
			   PCRE2_UTF | PCRE2_MULTILINE, &code, &off, NULL);
	if (!re) {
		sb_release(&pat);
		return fail(t, sc, "expect: bad regex %s", arg);
	}
	tui_redraw_now(t);
	screen_text(&screen);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	rc = pcre2_match(re, (PCRE2_SPTR)screen.buf, screen.len, 0, 0, md, NULL);
	if (rc < 0) {
		sb_addf(&sc->errors, "%s:%d: expect %s: no match on the "
			"screen:\n%s", sc->file, sc->lineno, arg, screen.buf);
		sc->failed = 1;
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	sb_release(&pat);
	sb_release(&screen);
	return 0;
}

/*
 * Some line of a terminal pane, scrollback included, matches re? A line
 * as wide as the terminal is taken to wrap into the next, so that text
 * the guest printed on one line is matched as one.
 */
static int
pane_matches(struct hv_tui *t, int pane, pcre2_code *re)
{
	struct pane *p = t->panes[pane];
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	struct strbuf all = STRBUF_INIT;
	size_t i, n = termpane_nlines(p);
	int rows, cols, found;

	termpane_size(p, &rows, &cols);
	for (i = 0; i < n; i++) {
		char *line = termpane_line_text(p, i);
		mbstate_t ps;
		size_t chars;
		const char *src = line;

		memset(&ps, 0, sizeof(ps));
		chars = mbsrtowcs(NULL, &src, 0, &ps);
		sb_adds(&all, line);
		if (chars == (size_t)-1 || chars < (size_t)cols)
			sb_addc(&all, '\n');
		free(line);
	}
	found = all.buf && pcre2_match(re, (PCRE2_SPTR)all.buf, all.len, 0, 0,
				       md, NULL) >= 0;
	pcre2_match_data_free(md);
	sb_release(&all);
	return found;
}

/* The screen matches re (after a redraw)? */
static int
screen_matches(struct hv_tui *t, pcre2_code *re)
{
	struct strbuf screen = STRBUF_INIT;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc;

	tui_redraw_now(t);
	screen_text(&screen);
	rc = pcre2_match(re, (PCRE2_SPTR)screen.buf, screen.len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	sb_release(&screen);
	return rc >= 0;
}

static int
do_wait_for(struct hv_tui *t, struct script *sc, const char *arg, int pane)
{
	struct strbuf pat = STRBUF_INIT;
	PCRE2_SIZE off;
	int code;

	if (unquote_regex(arg, &pat) < 0) {
		sb_release(&pat);
		return fail(t, sc, "wait-for needs a \"quoted regex\"%s", "");
	}
	sc->wait_re = pcre2_compile((PCRE2_SPTR)pat.buf, PCRE2_ZERO_TERMINATED,
				    PCRE2_UTF | PCRE2_MULTILINE, &code, &off,
				    NULL);
	sb_release(&pat);
	if (!sc->wait_re)
		return fail(t, sc, "wait-for: bad regex %s", arg);
	free(sc->wait_what);
	sc->wait_what = xasprintf("%s:%d: wait-for %s", sc->file, sc->lineno,
				  arg);
	sc->wait_pane = pane;
	/* no idle turns at full speed while waiting: the busy timer looks */
	hv_loop_set_idle(t->loop, 50, script_idle, t);
	return 0;
}

static int
do_keys(struct hv_tui *t, struct script *sc, char *args)
{
	char *save = NULL, *w;

	for (w = strtok_r(args, " \t", &save); w && !t->quit;
	     w = strtok_r(NULL, " \t", &save)) {
		int key = hv_key_parse(w);

		if (key < 0)
			return fail(t, sc, "unknown key '%s'", w);
		tui_key(t, key);
	}
	return 0;
}

static int
do_type(struct hv_tui *t, const char *s)
{
	while (*s && !t->quit) {
		wchar_t wc;
		mbstate_t ps;
		size_t n;

		memset(&ps, 0, sizeof(ps));
		n = mbrtowc(&wc, s, strlen(s), &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			wc = (unsigned char)*s;
			n = 1;
		}
		tui_key(t, (int)wc);
		s += n;
	}
	return 0;
}

static enum hv_tui_term
which_pane(const char *w, int *ok)
{
	*ok = 1;
	if (!strcmp(w, "build"))
		return HV_TUI_BUILD;
	if (!strcmp(w, "console"))
		return HV_TUI_CONSOLE;
	*ok = 0;
	return HV_TUI_BUILD;
}

static int
run_command(struct hv_tui *t, struct script *sc, char *line)
{
	char *cmd = line, *arg;

	arg = cmd + strcspn(cmd, " \t");
	if (*arg)
		*arg++ = '\0';
	arg += strspn(arg, " \t");
	if (!strcmp(cmd, "key"))
		return do_keys(t, sc, arg);
	if (!strcmp(cmd, "type"))
		return do_type(t, arg);
	if (!strcmp(cmd, "dump") || !strcmp(cmd, "dumpattr"))
		return *arg ? do_dump(t, sc, arg, !strcmp(cmd, "dumpattr"))
			    : fail(t, sc, "dump needs a file name%s", "");
	if (!strcmp(cmd, "expect"))
		return do_expect(t, sc, arg);
	if (!strcmp(cmd, "wait-for"))
		return do_wait_for(t, sc, arg, -1);
	if (!strcmp(cmd, "wait-in")) {
		char *rest = arg + strcspn(arg, " \t");
		int ok;
		enum hv_tui_term which;

		if (*rest)
			*rest++ = '\0';
		rest += strspn(rest, " \t");
		which = which_pane(arg, &ok);
		if (!ok)
			return fail(t, sc, "wait-in: no pane '%s' (build, "
				    "console)", arg);
		return do_wait_for(t, sc, rest, which == HV_TUI_BUILD ?
				   PANE_BUILD : PANE_CONSOLE);
	}
	if (!strcmp(cmd, "resize")) {
		struct winsize ws;
		int cols, rows;

		if (sscanf(arg, "%d %d", &cols, &rows) != 2 || cols < 1 ||
		    rows < 1 || cols > 2000 || rows > 1000)
			return fail(t, sc, "resize COLS ROWS, not '%s'", arg);
		memset(&ws, 0, sizeof(ws));
		ws.ws_col = (unsigned short)cols;
		ws.ws_row = (unsigned short)rows;
		/* the kernel sends SIGWINCH: the loop handles it as a user's */
		if (ioctl(t->tty_fd, TIOCSWINSZ, &ws) < 0)
			return fail(t, sc, "resize: %s", strerror(errno));
		return 0;
	}
	if (!strcmp(cmd, "feed") || !strcmp(cmd, "feedfile")) {
		char *rest = arg + strcspn(arg, " \t");
		struct strbuf bytes = STRBUF_INIT;
		enum hv_tui_term which;
		int ok;

		if (*rest)
			*rest++ = '\0';
		rest += strspn(rest, " \t");
		which = which_pane(arg, &ok);
		if (!ok)
			return fail(t, sc, "feed: no pane '%s' (build, console)",
				    arg);
		if (!strcmp(cmd, "feed") ? unquote(rest, &bytes) < 0
					 : hv_read_file(rest, &bytes) < 0) {
			sb_release(&bytes);
			return fail(t, sc, "feed: cannot read %s", rest);
		}
		hv_tui_feed(t, which, bytes.buf ? bytes.buf : "", bytes.len);
		sb_release(&bytes);
		return 0;
	}
	if (!strcmp(cmd, "stage")) {
		hv_tui_set_stage(t, strcmp(arg, "-") ? arg : NULL);
		return 0;
	}
	if (!strcmp(cmd, "clock")) {
		t->fake_now = strtoll(arg, NULL, 10);
		tui_layout_dirty(t);
		return 0;
	}
	if (!strcmp(cmd, "click") || !strcmp(cmd, "wheel")) {
		int y, x;
		char dir[8] = "";

		if (sscanf(arg, "%d %d %7s", &y, &x, dir) < 2)
			return fail(t, sc, "%s ROW COL", cmd);
		tui_mouse(t, y, x, !strcmp(cmd, "click") ? BUTTON1_CLICKED
			  : !strcmp(dir, "up") ? BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  : BUTTON5_PRESSED
#else
			  : 0
#endif
			  );
		return 0;
	}
	if (!strcmp(cmd, "sh")) {
		int st;

		fflush(NULL);
		st = system(arg);
		if (st == -1)
			return fail(t, sc, "sh: cannot run %s", arg);
		/* the change is on disk: see it before the next command */
		tui_check_files(t);
		return 0;
	}
	if (!strcmp(cmd, "load")) {
		if (strcmp(arg, "hold") && strcmp(arg, "go"))
			return fail(t, sc, "load: hold or go, not '%s'", arg);
		t->load_hold = !strcmp(arg, "hold");
		return 0;
	}
	if (!strcmp(cmd, "quit")) {
		tui_quit(t);
		return 0;
	}
	return fail(t, sc, "unknown command '%s'", cmd);
}

void
script_idle(struct hv_loop *loop, void *arg)
{
	struct hv_tui *t = arg;

	if (t->quit)
		return;
	if (t->redraw_timer && hv_timer_active(t->redraw_timer))
		return;	/* let the screen settle first */
	script_advance(t);
}

/*
 * The next command line, blanks trimmed (owned), skipping blank lines
 * and comments; NULL at the end. With consume 0 the script stays put.
 */
static char *
next_command(struct script *sc, int consume)
{
	const char *next = sc->next;
	int lineno = sc->lineno;

	while (*next) {
		const char *nl = strchr(next, '\n');
		size_t len = nl ? (size_t)(nl - next) : strlen(next), skip;
		char *line;

		skip = strspn(next, " \t");	/* stops at the newline */
		line = xstrndup(next + skip, len - skip);
		next += len + (nl ? 1 : 0);
		lineno++;
		len = strlen(line);
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
			       line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!*line || *line == '#') {
			free(line);
			continue;
		}
		if (consume) {
			sc->next = next;
			sc->lineno = lineno;
		}
		return line;
	}
	if (consume) {
		sc->next = next;
		sc->lineno = lineno;
	}
	return NULL;
}

/* Runs the next command (or checks the wait-for it is stopped at). */
static void
script_advance(struct hv_tui *t)
{
	struct script *sc = t->script;
	char *line;

	/* what another process did shows before the next command */
	tui_check_files(t);
	/* `load` runs at once, even before the range is read: so that a
	 * script can hold it half read from the start */
	line = sc->wait_re ? NULL : next_command(sc, 0);
	if (line && !strncmp(line, "load", 4) && strchr(" \t", line[4])) {
		free(line);
		line = next_command(sc, 1);
		run_command(t, sc, line);
		free(line);
		return;
	}
	free(line);
	/* else the range is read first, a piece an idle turn */
	if (!t->load_hold && tui_load_more(t))
		return;
	if (t->step_pending && !t->load_hold)
		return;
	if (sc->wait_re) {
		if (sc->wait_pane >= 0 ? !pane_matches(t, sc->wait_pane, sc->wait_re)
				       : !screen_matches(t, sc->wait_re))
			return;
		pcre2_code_free(sc->wait_re);
		sc->wait_re = NULL;
		hv_loop_set_idle(t->loop, 0, script_idle, t);
	}
	line = next_command(sc, 1);
	if (line) {
		run_command(t, sc, line);
		free(line);
		return;	/* one command per idle turn */
	}
	if (sc->failed && !t->exit_code)
		t->exit_code = 1;
	tui_quit(t);
}

void
script_report(struct hv_tui *t)
{
	if (t->script && t->script->wait_re) {
		fprintf(stderr, "%s: still waiting when the workstation "
			"ended\n", t->script->wait_what);
		if (!t->exit_code)
			t->exit_code = 1;
	}
	if (t->script && t->script->errors.len)
		fputs(t->script->errors.buf, stderr);
}
