/*
 * halve-tui.c: the workstation as a program of its own, for the UI tests:
 * `halve-tui ARGS` is `halve ARGS` with no subcommand, whether or not the
 * halve binary routes its options there yet.
 */
#include "config.h"

#include "tui.h"

int
main(int argc, char **argv)
{
	return hv_tui_main(argc - 1, argv + 1);
}
