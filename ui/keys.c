/*
 * keys.c: key names and codes, lookup in the binding table, and the help
 * overlay's text made from the same table (keys.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "keys.h"
#include "pane.h"

static const struct {
	const char *name;
	int key;
} named[] = {
	{ "Tab", '\t' },
	{ "BTab", HV_KEY(KEY_BTAB) },
	{ "Enter", '\r' },
	{ "Esc", 27 },
	{ "Space", ' ' },
	{ "Backspace", HV_KEY(KEY_BACKSPACE) },
	{ "Del", HV_KEY(KEY_DC) },
	{ "Ins", HV_KEY(KEY_IC) },
	{ "Up", HV_KEY(KEY_UP) },
	{ "Down", HV_KEY(KEY_DOWN) },
	{ "Left", HV_KEY(KEY_LEFT) },
	{ "Right", HV_KEY(KEY_RIGHT) },
	{ "PgUp", HV_KEY(KEY_PPAGE) },
	{ "PgDn", HV_KEY(KEY_NPAGE) },
	{ "Home", HV_KEY(KEY_HOME) },
	{ "End", HV_KEY(KEY_END) },
};

static int
utf8_single(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	int c, n, i;

	if (u[0] < 0x80)
		return u[1] ? -1 : u[0];
	if ((u[0] & 0xe0) == 0xc0) {
		c = u[0] & 0x1f;
		n = 1;
	} else if ((u[0] & 0xf0) == 0xe0) {
		c = u[0] & 0x0f;
		n = 2;
	} else if ((u[0] & 0xf8) == 0xf0) {
		c = u[0] & 0x07;
		n = 3;
	} else {
		return -1;
	}
	for (i = 1; i <= n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (u[i] & 0x3f);
	}
	return u[n + 1] ? -1 : c;
}

int
hv_key_parse(const char *name)
{
	size_t i;

	if (!name || !*name)
		return -1;
	for (i = 0; i < HV_ARRAY_SIZE(named); i++)
		if (!strcmp(named[i].name, name))
			return named[i].key;
	if (name[0] == 'C' && name[1] == '-' && name[2] && !name[3]) {
		char c = name[2];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || strchr("[\\]^_@", c))
			return HV_CTRL(c);
		return -1;
	}
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int n = atoi(name + 1);

		if (n >= 1 && n <= 12)
			return HV_KEY(KEY_F(n));
	}
	return utf8_single(name);
}

void
hv_key_name(int key, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < HV_ARRAY_SIZE(named); i++)
		if (named[i].key == key) {
			sb_adds(sb, named[i].name);
			return;
		}
	if (key >= HV_KEY(KEY_F(1)) && key <= HV_KEY(KEY_F(12))) {
		sb_addf(sb, "F%d", key - HV_KEY(KEY_F0));
		return;
	}
	if (key >= HV_KEY_BASE) {
		sb_addf(sb, "key%d", key - HV_KEY_BASE);
		return;
	}
	if (key < 0x20) {
		sb_addf(sb, "C-%c", key + '`');
		return;
	}
	if (key == 0x7f) {
		sb_adds(sb, "Backspace");
		return;
	}
	if (key < 0x80) {
		sb_addc(sb, (char)key);
	} else if (key < 0x800) {
		sb_addc(sb, (char)(0xc0 | (key >> 6)));
		sb_addc(sb, (char)(0x80 | (key & 0x3f)));
	} else if (key < 0x10000) {
		sb_addc(sb, (char)(0xe0 | (key >> 12)));
		sb_addc(sb, (char)(0x80 | ((key >> 6) & 0x3f)));
		sb_addc(sb, (char)(0x80 | (key & 0x3f)));
	} else {
		sb_addc(sb, (char)(0xf0 | (key >> 18)));
		sb_addc(sb, (char)(0x80 | ((key >> 12) & 0x3f)));
		sb_addc(sb, (char)(0x80 | ((key >> 6) & 0x3f)));
		sb_addc(sb, (char)(0x80 | (key & 0x3f)));
	}
}

const struct hv_keybinding *
hv_keys_lookup(enum hv_key_scope scope, int key)
{
	size_t i;

	/* terminals send Backspace as ^? or ^H; both mean the key */
	if (key == 0x7f || key == HV_CTRL('h'))
		key = HV_KEY(KEY_BACKSPACE);
	if (key == HV_KEY(KEY_ENTER) || key == '\n')
		key = '\r';
	for (i = 0; i < hv_nkeybindings; i++)
		if (hv_keybindings[i].scope == scope &&
		    hv_key_parse(hv_keybindings[i].name) == key)
			return &hv_keybindings[i];
	return NULL;
}

char **
hv_keys_help(size_t *n)
{
	char **lines = xcalloc(hv_nkeybindings + 1, sizeof(*lines));
	struct strbuf keys = STRBUF_INIT;
	size_t i, count = 0;

	for (i = 0; i < hv_nkeybindings; i++) {
		const struct hv_keybinding *b = &hv_keybindings[i];
		size_t j;

		if (!b->help)
			continue;
		sb_reset(&keys);
		if (b->scope == HV_SCOPE_CONSOLE)
			sb_adds(&keys, "C-a ");
		sb_adds(&keys, b->name);
		/* the keys that follow with no help of their own are aliases */
		for (j = i + 1; j < hv_nkeybindings && !hv_keybindings[j].help;
		     j++) {
			sb_adds(&keys, b->scope == HV_SCOPE_CONSOLE ? " C-a "
								      : " ");
			sb_adds(&keys, hv_keybindings[j].name);
		}
		lines[count++] = xasprintf("%s\t%s", keys.buf, b->help);
	}
	sb_release(&keys);
	*n = count;
	return lines;
}

void
hv_keys_help_free(char **lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
