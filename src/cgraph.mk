# src/cgraph.mk: the commit-graph reader and writer (src/cgraph.[ch]), git's
# view of shallow clones, grafts and replace refs (src/history.[ch]), commits
# read from objects once (src/commits.c), and the unit
# test, which builds real repositories with git and compares.
libhalve_a_SOURCES += src/cgraph.c src/cgraph.h src/history.c src/history.h \
	src/commits.c
check_PROGRAMS += tests/unit/test-cgraph
tests_unit_test_cgraph_SOURCES = tests/unit/test-cgraph.c tests/unit/tap.h
tests_unit_test_cgraph_LDADD = $(HALVE_LIBS)
TESTS += tests/unit/test-cgraph
