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

#endif
