# tests/pipeline/local.mk: the pipeline tests, each a real build and qemu
# boot of a busybox guest on the distribution kernel (TCG). They skip
# (1..0 # SKIP) only where qemu, a kernel, busybox-static or cpio is
# missing. Slowest first, so that make -j2 check overlaps them.
PIPELINE_TESTS = \
	tests/pipeline/demo.sh \
	tests/pipeline/descend.sh \
	tests/pipeline/flaky.sh \
	tests/pipeline/slots.sh \
	tests/pipeline/verify.sh \
	tests/pipeline/find.sh \
	tests/pipeline/hang.sh \
	tests/pipeline/flood.sh \
	tests/pipeline/build-failures.sh \
	tests/pipeline/panic.sh \
	tests/pipeline/qemu-error.sh \
	tests/pipeline/unbootable.sh \
	tests/pipeline/twins.sh \
	tests/pipeline/one-run.sh \
	tests/pipeline/kill.sh
TESTS += $(PIPELINE_TESTS)
EXTRA_DIST += $(PIPELINE_TESTS) tests/pipeline/lib.sh
