/*
 * cli-rig.h: the command-line face of the kernel rig: `halve setup
 * kernel` (rig.h) and `halve doctor` (doctor.h). Parses, calls the core,
 * prints; main.c dispatches to these.
 */
#ifndef HALVE_CLI_RIG_H
#define HALVE_CLI_RIG_H

#include "cli.h"

int cli_setup(struct cli *c);
int cli_doctor(struct cli *c);

#endif
