# tests/kernel/local.mk: make check-kernel, the kernel rig on a real Linux
# tree (Debian's linux-source-6.1): real builds and real qemu boots, tens
# of minutes, so not part of make check.
KERNEL_TESTS = tests/kernel/bisect.sh
EXTRA_DIST += $(KERNEL_TESTS)

.PHONY: check-kernel
check-kernel: halve
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(KERNEL_TESTS)'
