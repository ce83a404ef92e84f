# src/demo.mk: the demo repository behind `halve demo` (src/demo.h) and
# its unit test, which uses git as the reference and boots the demo's
# initramfs in qemu when qemu and a kernel are present.
libhalve_a_SOURCES += src/demo.c src/demo.h

check_PROGRAMS += tests/unit/test-demo
TESTS += tests/unit/test-demo
tests_unit_test_demo_SOURCES = tests/unit/test-demo.c tests/unit/tap.h
tests_unit_test_demo_LDADD = $(HALVE_LIBS)
