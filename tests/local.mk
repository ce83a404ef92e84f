# tests/local.mk: unit tests (C, TAP) and CLI scenarios (shell, TAP).
EXTRA_DIST += tests/lib/tap.sh tests/lib/repo.sh
check_PROGRAMS += tests/unit/test-bisect
tests_unit_test_bisect_SOURCES = tests/unit/test-bisect.c tests/unit/tap.h
tests_unit_test_bisect_LDADD = $(HALVE_LIBS) -lm
TESTS += tests/unit/test-bisect
check_PROGRAMS += tests/unit/test-graph-walk
tests_unit_test_graph_walk_SOURCES = tests/unit/test-graph-walk.c tests/unit/tap.h
tests_unit_test_graph_walk_LDADD = $(HALVE_LIBS)
TESTS += tests/unit/test-graph-walk
