/*
 * fault.h: fault injection for the crash tests. Every write that changes
 * the session (a state file renamed in, a ref written or deleted, a file
 * or tree removed, a checkout) passes an HV_FAULT_POINT. In the test
 * build (-DHV_FAULT_INJECTION: tests/halve-faulty) the Nth point reached
 * kills the process with SIGKILL when HALVE_FAULT_AT=N is set, so a test
 * can stop every command at every write and check what it leaves. In the
 * real binary the points are nothing.
 */
#ifndef HALVE_FAULT_H
#define HALVE_FAULT_H

#ifdef HV_FAULT_INJECTION
void hv_fault_point(void);
#define HV_FAULT_POINT() hv_fault_point()
#else
#define HV_FAULT_POINT() ((void)0)
#endif

#endif
