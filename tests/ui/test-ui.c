/*
 * test-ui.c: the workstation's pieces that need no terminal: theme files
 * (the shipped ones parse, errors name file and line), the key table
 * (every key name parses, the help is made from it), lanes (on-demand
 * rows match rows computed in order), and the terminal panes driven by a
 * byte string with no process behind them.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"
#include "keys.h"
#include "lanes.h"
#include "termpane.h"
#include "theme.h"
#include "../unit/tap.h"

static void
test_theme_builtins(void)
{
	const char *const *names = hv_theme_builtin_names();
	size_t i;

	for (i = 0; names[i]; i++) {
		struct hv_error err = HV_ERROR_INIT;
		struct hv_theme *t = hv_theme_load(names[i], &err);

		ok(t != NULL, "built-in theme %s loads%s%s", names[i],
		   err.msg ? ": " : "", err.msg ? err.msg : "");
		hv_error_clear(&err);
		hv_theme_free(t);
	}
	ok(i >= 4, "four themes or more are built in (%zu)", i);
	ok(hv_theme_builtin("default") != NULL, "default is built in");
	ok(hv_theme_builtin("mono") != NULL, "mono is built in");
}

static void
expect_error(const char *text, const char *want, const char *what)
{
	struct hv_theme *t = hv_theme_new("x");
	struct hv_error err = HV_ERROR_INIT;
	int rc = hv_theme_parse(t, "my.theme", text, &err);

	ok(rc < 0 && err.msg && strstr(err.msg, want), "%s", what);
	if (!(rc < 0 && err.msg && strstr(err.msg, want)))
		printf("#   got \"%s\", want \"%s\"\n",
		       err.msg ? err.msg : "(no error)", want);
	hv_error_clear(&err);
	hv_theme_free(t);
}

static void
test_theme_parse(void)
{
	struct hv_theme *t = hv_theme_new("x");
	struct hv_error err = HV_ERROR_INIT;
	short c;
	int rc;

	rc = hv_theme_parse(t, "my.theme",
			    "# a comment\n"
			    "\n"
			    "color mark.bad brightred default bold  # trailing\n"
			    "mono mark.bad underline\n"
			    "color log.error red black \"error: .*\"\n"
			    "color cursor color123 17 reverse dim\n", &err);
	is_int(rc, 0, "a good theme parses");
	is_int(t->color[HV_ELEM_BAD].fg, 9, "brightred is colour 9");
	is_int(t->color[HV_ELEM_BAD].bg, -1, "default is -1");
	ok(t->color[HV_ELEM_BAD].attrs == HV_ATTR_BOLD, "bold is read");
	ok(t->mono[HV_ELEM_BAD].attrs == HV_ATTR_UNDERLINE, "mono rules apart");
	is_int(t->nrules, 1, "a quoted regex makes a rule, not a style");
	is_str(t->rules[0].pattern, "error: .*", "the regex is kept as written");
	ok(!t->color[HV_ELEM_LOG_ERROR].set, "a regex rule leaves the element alone");
	is_int(t->color[HV_ELEM_CURSOR].fg, 123, "color123");
	is_int(t->color[HV_ELEM_CURSOR].bg, 17, "a bare number");
	hv_theme_free(t);
	hv_error_clear(&err);

	expect_error("color nosuch red default\n", "my.theme:1: unknown element 'nosuch'",
		     "an unknown element names file and line");
	expect_error("\n\ncolor title red\n", "my.theme:3: color title needs a foreground and a background",
		     "a missing colour is reported");
	expect_error("color title red purple\n", "my.theme:1: unknown colour 'purple'",
		     "an unknown colour is reported");
	expect_error("mono title blinking\n", "my.theme:1: unknown attribute 'blinking'",
		     "an unknown attribute is reported");
	expect_error("colour title red blue\n", "my.theme:1: unknown command 'colour'",
		     "an unknown command is reported");
	expect_error("color log.error red default \"(unclosed\"\n", "my.theme:1: regex",
		     "a broken regex is reported with its line");
	expect_error("color log.error red default \"open\n", "my.theme:1: unclosed quote",
		     "an unclosed quote is reported");
	expect_error("color title red default 300\n", "unknown attribute '300'",
		     "a stray word is reported");
	ok(hv_theme_parse_color("color256", &c) < 0, "colour 256 does not exist");
	ok(hv_theme_parse_color("brightwhite", &c) == 0 && c == 15, "brightwhite is 15");
	is_int(hv_theme_elem_find("mark.found"), HV_ELEM_FOUND, "elements by name");
	is_str(hv_theme_elem_name(HV_ELEM_TITLE_FOCUS), "title.focus", "names by element");
}

static void
test_theme_files(void)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_theme *t;
	char dir[] = "/tmp/halve-theme.XXXXXX", *path, *user;
	FILE *f;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	user = xasprintf("%s/halve/themes", dir);
	hv_mkdir_p(user, NULL);
	path = xasprintf("%s/mine.theme", user);
	f = fopen(path, "w");
	fputs("color title red default\nmono title nosuchattr\n", f);
	fclose(f);
	setenv("XDG_CONFIG_HOME", dir, 1);
	t = hv_theme_load("mine", &err);
	ok(!t && err.msg && strstr(err.msg, "/halve/themes/mine.theme:2: unknown attribute"),
	   "a user theme's error names its path and line");
	hv_error_clear(&err);
	t = hv_theme_load("nosuch", &err);
	ok(!t && err.msg && strstr(err.msg, "theme nosuch: not found"),
	   "a missing theme says so");
	hv_error_clear(&err);
	f = fopen(path, "w");
	fputs("color title red default\n", f);
	fclose(f);
	t = hv_theme_load("mine", &err);
	ok(t && t->color[HV_ELEM_TITLE].fg == 1, "a user theme is found in $XDG_CONFIG_HOME/halve/themes");
	hv_theme_free(t);
	t = hv_theme_load(path, &err);
	ok(t != NULL, "a theme by path");
	hv_theme_free(t);
	unsetenv("XDG_CONFIG_HOME");
	unlink(path);
	hv_remove_tree(dir);
	free(path);
	free(user);
}

/* halve-themes(5) lists every element with its doc, as the table says. */
static void
test_theme_manpage(void)
{
	const char *srcdir = getenv("HALVE_SRCDIR");
	struct strbuf man = STRBUF_INIT;
	char *path;
	int e, all = 1;

	if (!srcdir) {
		tap_skip("no HALVE_SRCDIR: the man page is not checked");
		return;
	}
	path = xasprintf("%s/doc/halve-themes.5", srcdir);
	if (hv_read_file(path, &man) < 0) {
		ok(0, "%s is readable", path);
		free(path);
		return;
	}
	for (e = 0; e < HV_ELEM_COUNT; e++) {
		char *entry = xasprintf(".B %s\n%s\n", hv_theme_elem_name(e),
					hv_theme_elem_doc(e));

		if (!strstr(man.buf, entry)) {
			all = 0;
			printf("# halve-themes(5) lacks \"%s\"\n",
			       hv_theme_elem_name(e));
		}
		free(entry);
	}
	ok(all, "halve-themes(5) documents every element as ui/theme.h does");
	sb_release(&man);
	free(path);
}

/* What must never reach the terminal has a visible form. */
static void
test_visible(void)
{
	char buf[12];

	ok(hv_draw_visible(27, 1, 27, buf) > 0 && !strcmp(buf, "^["), "ESC is ^[");
	ok(hv_draw_visible(0x7f, 1, 0x7f, buf) > 0 && !strcmp(buf, "^?"), "DEL is ^?");
	ok(hv_draw_visible(0x9b, 1, 0xc2, buf) > 0 && !strcmp(buf, "<9b>"), "CSI (C1) is <9b>");
	ok(hv_draw_visible((wchar_t)-1, -1, 0xff, buf) > 0 && !strcmp(buf, "<ff>"),
	   "a byte that is no character is <ff>");
	ok(hv_draw_visible(L'a', 1, 'a', buf) == 0, "a letter is itself");
	ok(hv_draw_visible(0xe9, 1, 0xc3, buf) == 0, "so is é");
	is_int(hv_draw_width(NULL, "a\033[2Jb", 6), 7, "width counts ^[ as two columns");
}

static void
test_keys(void)
{
	size_t i, n, with_help = 0;
	char **help;
	struct strbuf sb = STRBUF_INIT;
	int all = 1, alias_ok = 1;

	for (i = 0; i < hv_nkeybindings; i++) {
		if (hv_key_parse(hv_keybindings[i].name) < 0) {
			all = 0;
			printf("# unparsable key %s\n", hv_keybindings[i].name);
		}
		if (hv_keybindings[i].help)
			with_help++;
		else if (i && hv_keybindings[i].fn != hv_keybindings[i - 1].fn)
			alias_ok = 0;	/* its help line would say the wrong thing */
	}
	ok(all, "every key in the table has a name that parses");
	ok(alias_ok, "a key without help of its own does what the key above does");
	ok(hv_keybindings[0].help != NULL, "the first binding has its help");
	help = hv_keys_help(&n);
	is_int(n, with_help, "one help line per binding with help");
	ok(n && strstr(help[0], "g\t") == help[0], "help starts with g");
	for (i = 0; i < n; i++)
		if (!strncmp(help[i], "Down j\t", 7))
			break;
	ok(i < n, "aliases share their binding's help line (Down j)");
	for (i = 0; i < n; i++)
		if (!strncmp(help[i], "C-a c\t", 6))
			break;
	ok(i < n, "console bindings show their prefix (C-a c)");
	hv_keys_help_free(help, n);
	is_int(hv_key_parse("C-a"), 1, "C-a is 1");
	is_int(hv_key_parse("Tab"), 9, "Tab is 9");
	is_int(hv_key_parse("Esc"), 27, "Esc is 27");
	is_int(hv_key_parse("é"), 0xe9, "a UTF-8 character is itself");
	is_int(hv_key_parse("nosuch"), -1, "an unknown name is -1");
	ok(hv_keys_lookup(HV_SCOPE_ANY, 'q') != NULL, "q is bound");
	ok(hv_keys_lookup(HV_SCOPE_ANY, 'Q') == NULL, "Q is not");
	ok(hv_keys_lookup(HV_SCOPE_CONSOLE, 'c') != NULL, "C-a c is bound in the console");
	hv_key_name(hv_key_parse("PgDn"), &sb);
	is_str(sb.buf, "PgDn", "names round-trip");
	sb_release(&sb);
}

/* lanes: a merge of a two-commit branch into a line */
static struct hv_dag *
small_dag(void)
{
	struct hv_dag *dag = hv_dag_new();
	struct hv_oid oid;
	uint32_t p[2];

	memset(&oid, 0, sizeof(oid));
	oid.id[0] = 1;
	hv_dag_add(dag, &oid, 1, NULL, 0, 0);		/* 0 base */
	oid.id[0] = 2;
	p[0] = 0;
	hv_dag_add(dag, &oid, 2, p, 1, 0);		/* 1 main */
	oid.id[0] = 3;
	hv_dag_add(dag, &oid, 3, p, 1, 0);		/* 2 side */
	oid.id[0] = 4;
	p[0] = 2;
	hv_dag_add(dag, &oid, 4, p, 1, 0);		/* 3 side */
	oid.id[0] = 5;
	p[0] = 1;
	p[1] = 3;
	hv_dag_add(dag, &oid, 5, p, 2, 0);		/* 4 merge */
	return dag;
}

static char *
row_ascii(struct lanes *l, uint32_t row)
{
	uint8_t *cells = NULL;
	size_t alloc = 0, n, k, commit;
	char *s;

	n = lanes_row(l, row, &cells, &alloc, &commit);
	s = xcalloc(n + 1, 1);
	for (k = 0; k < n; k++)
		s[k] = (char)(cells[k] & LANE_COMMIT ? '*'
				 : lanes_glyph(cells[k], 0));
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	free(cells);
	return s;
}

static void
test_lanes(void)
{
	struct hv_dag *dag = small_dag();
	struct lanes l;
	char *r[5], *again;
	uint32_t i;

	lanes_init(&l, dag);
	for (i = 0; i < 5; i++)
		r[i] = row_ascii(&l, i);
	is_str(r[0], "*-.", "the merge opens a lane for its second parent");
	is_str(r[1], "| *", "the side branch runs in its own lane");
	is_str(r[2], "| *", "still the side branch");
	is_str(r[3], "* |", "the main line, the side lane waiting beside it");
	is_str(r[4], "*-'", "the side lane folds into the base");
	again = row_ascii(&l, 2);
	is_str(again, r[2], "a row asked for again is the same");
	free(again);
	for (i = 0; i < 5; i++)
		free(r[i]);
	lanes_release(&l);
	hv_dag_free(dag);
}

/* Big enough to cross checkpoints: 1000 commits, a merge every 7th. */
static void
test_lanes_checkpoints(void)
{
	struct hv_dag *dag = hv_dag_new();
	struct lanes seq, rnd;
	struct hv_oid oid;
	uint32_t i, p[2];
	int same = 1;

	memset(&oid, 0, sizeof(oid));
	for (i = 0; i < 1000; i++) {
		uint32_t np = 0;

		oid.id[0] = (unsigned char)i;
		oid.id[1] = (unsigned char)(i >> 8);
		if (i > 0)
			p[np++] = i - 1;
		if (i > 10 && i % 7 == 0)
			p[np++] = i - 5;
		hv_dag_add(dag, &oid, i, p, np, 0);
	}
	lanes_init(&seq, dag);
	lanes_init(&rnd, dag);
	for (i = 0; i < 1000; i++) {
		char *a = row_ascii(&seq, i);

		free(a);
	}
	is_int(seq.nck, (1000 + LANES_CHECKPOINT - 1) / LANES_CHECKPOINT,
	       "a checkpoint every LANES_CHECKPOINT rows");
	for (i = 0; i < 1000 && same; i += 37) {
		uint32_t row = (i * 7919) % 1000;
		char *a, *b;

		lanes_release(&seq);
		lanes_init(&seq, dag);
		/* rnd jumps around; seq walks up to the row from the top */
		b = row_ascii(&rnd, row);
		{
			uint32_t k;

			for (k = 0; k < row; k++)
				free(row_ascii(&seq, k));
		}
		a = row_ascii(&seq, row);
		if (strcmp(a, b)) {
			same = 0;
			printf("# row %u: in order \"%s\", jumped \"%s\"\n", row,
			       a, b);
		}
		free(a);
		free(b);
	}
	ok(same, "rows reached by jumping match rows computed in order");
	lanes_release(&seq);
	lanes_release(&rnd);
	hv_dag_free(dag);
}

static struct strbuf sent = STRBUF_INIT;

static void
collect(const char *data, size_t len, void *arg)
{
	sb_add(&sent, data, len);
}

static void
test_termpane(void)
{
	struct pane *p = termpane_new(NULL, TERMPANE_BUILD, 10);
	char *line;
	size_t i;
	int rows, cols;

	termpane_size(p, &rows, &cols);
	is_int(rows, 24, "a terminal pane starts at 24 rows");
	pane_feed(p, "hello\r\nworld", 12);
	line = termpane_line_text(p, 0);
	is_str(line, "hello", "bytes fed show as lines");
	free(line);
	line = termpane_line_text(p, 1);
	is_str(line, "world", "the second line");
	free(line);
	pane_feed(p, "\r\n 10%\r 50%\r100%\r\n", 19);
	line = termpane_line_text(p, 2);
	is_str(line, "100%", "\\r rewrites the line as a terminal does");
	free(line);
	pane_feed(p, "\033[31mred\033[0m \033]0;title\007plain\r\n", 34);
	line = termpane_line_text(p, 3);
	is_str(line, "red plain", "escape sequences do not show as text");
	free(line);
	is_int(termpane_nscrollback(p), 0, "no scrollback yet");
	for (i = 0; i < 100; i++) {
		char buf[32];
		int n = snprintf(buf, sizeof(buf), "line %zu\r\n", i);

		pane_feed(p, buf, (size_t)n);
	}
	is_int(termpane_nscrollback(p), 10, "scrollback is bounded");
	line = termpane_line_text(p, 0);
	is_str(line, "line 67", "the oldest lines went first");
	free(line);
	line = termpane_line_text(p, termpane_nlines(p) - 2);
	is_str(line, "line 99", "the last line is on the screen");
	free(line);
	termpane_clear(p);
	is_int(termpane_nscrollback(p), 0, "clear empties the scrollback");
	p->ops->free(p);

	p = termpane_new(NULL, TERMPANE_CONSOLE, 100);
	termpane_set_output(p, collect, NULL);
	p->ops->key(p, 'l');
	p->ops->key(p, 's');
	p->ops->key(p, '\r');
	is_str(sent.buf, "ls\r", "keys typed into the console go out as bytes");
	sb_reset(&sent);
	ok(!termpane_monitor(p), "the console starts on serial");
	termpane_toggle_monitor(p);
	ok(termpane_monitor(p), "Ctrl-a c flips to the monitor");
	is_str(sent.buf, "\001c", "and sends Ctrl-a c to qemu's mux");
	sb_reset(&sent);
	p->ops->key(p, HV_KEY_BASE + 0403);	/* KEY_UP */
	is_str(sent.buf, "\033[A", "arrow keys go out as a terminal sends them");
	sb_release(&sent);
	/* a flood: memory stays bounded by the scrollback */
	for (i = 0; i < 5000; i++)
		pane_feed(p, "flood flood flood flood flood\r\n", 31);
	is_int(termpane_nscrollback(p), 100, "a flood keeps only the scrollback's lines");
	p->ops->free(p);
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	test_theme_builtins();
	test_theme_parse();
	test_theme_files();
	test_theme_manpage();
	test_visible();
	test_keys();
	test_lanes();
	test_lanes_checkpoints();
	test_termpane();
	return done_testing();
}
