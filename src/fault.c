/*
 * fault.c: the test build's fault points (fault.h). The count is the one
 * global of the core outside the loop's signal pipe, and only in the
 * test build: a fault point has no session to hang it on (it sits in
 * util.c's file writes).
 */
#include "config.h"

#ifdef HV_FAULT_INJECTION
#include <signal.h>
#include <stdlib.h>

#include "fault.h"

void
hv_fault_point(void)
{
	static long reached, at = -1;

	if (at < 0) {
		const char *env = getenv("HALVE_FAULT_AT");

		at = env ? atol(env) : 0;
	}
	if (at > 0 && ++reached == at)
		raise(SIGKILL);
}
#else
/* ISO C wants a translation unit to hold something */
typedef int hv_fault_unused;
#endif
