# src/cgraph.mk: the commit-graph reader (src/cgraph.[ch]) and its unit
# test, which builds real repositories with git and compares.
libhalve_a_SOURCES += src/cgraph.c src/cgraph.h
check_PROGRAMS += tests/unit/test-cgraph
tests_unit_test_cgraph_SOURCES = tests/unit/test-cgraph.c tests/unit/tap.h
tests_unit_test_cgraph_LDADD = $(HALVE_LIBS)
TESTS += tests/unit/test-cgraph
