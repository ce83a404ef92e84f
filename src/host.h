/*
 * host.h: what this machine offers a kernel rig, found by trying rather
 * than assuming: programs on PATH, whether KVM really creates a VM, the
 * CPUs and memory, free disk, whether a binary is statically linked.
 * `halve setup kernel` (rig.c) and `halve doctor` (doctor.c) ask here.
 *
 * Read-only probes: nothing here writes a file or prints.
 */
#ifndef HALVE_HOST_H
#define HALVE_HOST_H

#include <stdint.h>

#include "util.h"

/* The full path of prog found on $PATH (a name with a '/' is taken as
 * it is), executable; NULL when there is none. The caller frees it. */
char *hv_host_which(const char *prog);

/*
 * Whether KVM is usable: /dev/kvm opened read-write, its API version
 * the one qemu speaks, a VM created; then, when qemu (a path) is given,
 * qemu under KVM really runs a guest (a boot sector that exits at once;
 * at most 5 s). 1 usable; 0 not, with why saying what failed.
 */
int hv_host_kvm(const char *qemu, struct hv_error *why);

/* CPUs online (at least 1), total memory in bytes (0 when unknown). */
int hv_host_cpus(void);
uint64_t hv_host_mem_bytes(void);

/* Free bytes for an unprivileged writer on the filesystem holding path
 * (or its nearest existing parent); -1 when statvfs fails. */
int hv_host_free_bytes(const char *path, uint64_t *out);

/* 1 when path is an ELF executable with no program interpreter (static),
 * 0 when it has one (dynamic), -1 when it is not an ELF file we read. */
int hv_host_elf_static(const char *path);

/*
 * A TCP connection to host:port within timeout_ms: the connected socket
 * (the caller closes it), or -1 with why "HOST:PORT: why".
 */
int hv_host_tcp_connect(const char *host, const char *port, int timeout_ms,
			struct hv_error *why);

/* 1 when something accepts a connection on the unix socket at path. */
int hv_host_unix_answers(const char *path);

/*
 * Reads what fd sends until it closes, at most max bytes and timeout_ms
 * in all, into out (appended). 0 when it closed, -1 on a timeout or an
 * error (out holds what came).
 */
int hv_host_read_all(int fd, struct strbuf *out, size_t max, int timeout_ms);

/*
 * Runs argv (argv[0] a path) with env_add ("NAME=VALUE" or NULL) added
 * to the environment, stdin from /dev/null and stderr dropped, its
 * stdout into out (appended), for at most timeout_ms. Its exit status
 * (0..255), or -1 when it could not run, was killed or ran too long.
 */
int hv_host_output(char *const argv[], const char *env_add,
		   struct strbuf *out, int timeout_ms);

#endif
