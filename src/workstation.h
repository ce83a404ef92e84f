/*
 * workstation.h: the TUI face with the pipeline plugged in: `halve` with
 * no subcommand, and `halve demo` on a terminal. Part of the halve
 * binary, not of libhalve: it joins the curses face (ui/tui.h) to the
 * pipeline (pipeline.h) and knows nothing of either's insides.
 */
#ifndef HALVE_WORKSTATION_H
#define HALVE_WORKSTATION_H

struct hv_workstation_opts {
	int autorun;		/* start the pipeline once the screen is up */
	int descend;		/* a first bad merge: descend and go on */
};

/* argv: the options after `halve` (--theme, --script, -C...). */
int hv_workstation_main(int argc, char **argv,
			const struct hv_workstation_opts *opts);

#endif
