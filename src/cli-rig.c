/*
 * cli-rig.c: `halve setup kernel` and `halve doctor` for the command
 * line. setup prints the config it wrote (stdout stays a valid config:
 * what follows it is comments); doctor prints a line a check, or
 * tab-separated fields with --porcelain.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli-rig.h"
#include "doctor.h"
#include "rig.h"

/* What a long step is doing, for a person watching (not for scripts). */
static void
progress(void *arg, const char *what)
{
	(void)arg;
	fprintf(stderr, "halve: setup: %s...\n", what);
}

int
cli_setup(struct cli *c)
{
	struct hv_rig_opts o;
	struct hv_rig rig;

	if (hv_rig_opts_parse(c->argv, (size_t)c->argc, &o, &c->err) < 0) {
		fail(c);
		return 129;
	}
	if (isatty(STDERR_FILENO))
		o.progress = progress;
	if (hv_rig_setup(".", &o, &rig, &c->err) < 0) {
		hv_rig_opts_release(&o);
		return fail(c);
	}
	fputs(rig.config_text, stdout);
	printf("\n# The rig is in %s, its build directory %s;\n"
	       "# halve reset keeps both. Next: halve start BAD GOOD && "
	       "halve run\n", rig.dir, rig.build_dir);
	hv_rig_release(&rig);
	hv_rig_opts_release(&o);
	return 0;
}

static void
print_item(const struct hv_doctor_item *it, int porcelain)
{
	if (porcelain) {
		printf("%s\t%s\t%s\t%s\n", it->name,
		       hv_doctor_state_name(it->state), it->package, it->detail);
		return;
	}
	printf("%-9s %-8s %s\n", it->name, hv_doctor_state_name(it->state),
	       it->detail);
	if (it->state != HV_DOCTOR_OK)
		printf("%-18s for %s%s%s\n", "", it->needed_for,
		       strcmp(it->package, "-") ? ": apt-get install " : "",
		       strcmp(it->package, "-") ? it->package : "");
}

int
cli_doctor(struct cli *c)
{
	struct hv_doctor d;
	int porcelain = 0, i;
	size_t k;

	for (i = 0; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--porcelain")) {
			hv_error_set(&c->err, "doctor: %s: unknown option",
				     c->argv[i]);
			fail(c);
			return 129;
		}
		porcelain = 1;
	}
	hv_doctor_run(".", &d);
	for (k = 0; k < d.n; k++)
		print_item(&d.items[k], porcelain);
	if (!porcelain)
		printf("\n%s\n", d.can_run
		       ? "The rig can run here (halve setup kernel)."
		       : "The rig cannot run here: install what is missing.");
	i = d.can_run ? 0 : 1;
	hv_doctor_release(&d);
	return i;
}
