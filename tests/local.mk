# tests/local.mk: unit tests (C, TAP) and CLI scenarios (shell, TAP).
EXTRA_DIST += tests/lib/tap.sh tests/lib/repo.sh
check_PROGRAMS += tests/unit/test-bisect
tests_unit_test_bisect_SOURCES = tests/unit/test-bisect.c tests/unit/tap.h
tests_unit_test_bisect_LDADD = $(HALVE_LIBS) -lm
TESTS += tests/unit/test-bisect
