/*
 * fuzz-conf.c: the pipeline config parser (src/conf.c) on any text: the
 * whole input as a config file, and as a command to split into argv. A
 * parse that fails must leave nothing allocated and a message naming a
 * line; one that works must hold only keys the file could set.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz.h"

int
FUZZ_TARGET(conf)(const uint8_t *data, size_t size)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_config cfg;
	char *text = xstrndup((const char *)data, size);
	char **argv;
	int argc;

	if (hv_config_parse_string(text, "fuzz.conf", &cfg, &err) == 0) {
		/* a rule kept must be one of the three kinds, with a line */
		size_t i;

		for (i = 0; i < cfg.nrules; i++)
			if (cfg.rules[i].kind == HV_RULE_NONE || cfg.rules[i].line < 1)
				abort();
		hv_config_free(&cfg);
	} else if (!err.msg || strncmp(err.msg, "fuzz.conf:", 10) != 0) {
		abort();	/* every parse error names the file and line */
	}
	hv_error_clear(&err);

	argc = hv_split_argv(text, &argv, &err);
	if (argc > 0)
		hv_argv_free(argv);
	hv_error_clear(&err);
	free(text);
	return 0;
}
