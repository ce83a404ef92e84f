# tests/local.mk: unit tests (C, TAP) and CLI scenarios (shell, TAP).
EXTRA_DIST += tests/lib/tap.sh tests/lib/repo.sh tests/lib/lock.sh tests/lib/rig.sh
check_PROGRAMS += tests/unit/test-bisect
tests_unit_test_bisect_SOURCES = tests/unit/test-bisect.c tests/unit/tap.h \
	tests/unit/testdag.h
tests_unit_test_bisect_LDADD = $(HALVE_LIBS) -lm
TESTS += tests/unit/test-bisect
check_PROGRAMS += tests/unit/test-noisy
tests_unit_test_noisy_SOURCES = tests/unit/test-noisy.c tests/unit/tap.h \
	tests/unit/testdag.h
tests_unit_test_noisy_LDADD = $(HALVE_LIBS) -lm
TESTS += tests/unit/test-noisy
check_PROGRAMS += tests/unit/test-rebuild
tests_unit_test_rebuild_SOURCES = tests/unit/test-rebuild.c tests/unit/tap.h
tests_unit_test_rebuild_LDADD = $(HALVE_LIBS)
TESTS += tests/unit/test-rebuild
check_PROGRAMS += tests/unit/test-graph-walk
tests_unit_test_graph_walk_SOURCES = tests/unit/test-graph-walk.c tests/unit/tap.h
tests_unit_test_graph_walk_LDADD = $(HALVE_LIBS)
TESTS += tests/unit/test-graph-walk

# The crash tests' halve: the same sources with the fault points armed
# (src/fault.h), so that HALVE_FAULT_AT=N kills it at its Nth write.
check_PROGRAMS += tests/halve-faulty
tests_halve_faulty_SOURCES = $(libhalve_a_SOURCES) $(halve_SOURCES)
tests_halve_faulty_CPPFLAGS = $(AM_CPPFLAGS) -DHV_FAULT_INJECTION
tests_halve_faulty_LDADD = libhalve-ui.a $(LIBGIT2_LIBS) $(PCRE2_LIBS) \
	$(VTERM_LIBS) $(NCURSES_LIBS) $(LIBS) -lm
