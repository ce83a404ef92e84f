/*
 * rebuild-cost.c: the rebuild-cost model of src/rebuild.c on the command
 * line, for bench/rebuild-model.sh and bench/costaware.sh.
 *
 * It loads the dependency files of BUILD_DIR (kbuild's .*.cmd, gcc's
 * -MD .d files) with hv_rebuild_load(), reads changed paths (relative to
 * SRC_DIR, one a line, as `git diff --name-only X Y` prints them) from
 * stdin, and prints how many objects the model says make compiles again:
 * the figure halve's cost-aware choice compares candidates by. With
 * --objects it prints "COST KNOWN", KNOWN being every object the
 * dependency files name. A build directory without dependency files
 * prints "-". A bench tool, never part of halve.
 *
 * usage: rebuild-cost [--objects] BUILD_DIR SRC_DIR < PATHS
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rebuild.h"
#include "util.h"

/* The lines of stdin, without their newlines; empty lines dropped. */
static char **
read_paths(size_t *n)
{
	char **paths = NULL;
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;

	*n = 0;
	while ((len = getline(&line, &cap, stdin)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			paths = xreallocarray(paths, alloc, sizeof(*paths));
		}
		paths[(*n)++] = xstrdup(line);
	}
	free(line);
	return paths;
}

int
main(int argc, char **argv)
{
	struct hv_error err = HV_ERROR_INIT;
	struct hv_rebuild *rb = NULL;
	int objects = 0, rc;
	char **paths;
	size_t n, i, cost;

	if (argc > 1 && strcmp(argv[1], "--objects") == 0) {
		objects = 1;
		argc--;
		argv++;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: rebuild-cost [--objects] BUILD_DIR SRC_DIR < PATHS\n");
		return 2;
	}
	rc = hv_rebuild_load(argv[1], argv[2], &rb, &err);
	if (rc < 0) {
		fprintf(stderr, "rebuild-cost: %s\n", err.msg);
		hv_error_clear(&err);
		return 1;
	}
	if (rc == 1) {
		printf("-\n");
		return 0;
	}
	paths = read_paths(&n);
	cost = hv_rebuild_cost(rb, (const char *const *)paths, n);
	if (objects)
		printf("%zu %zu\n", cost, hv_rebuild_objects(rb));
	else
		printf("%zu\n", cost);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	hv_rebuild_free(rb);
	return 0;
}
