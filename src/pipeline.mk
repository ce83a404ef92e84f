# src/pipeline.mk: the modules the pipeline and the UI stand on (config,
# verdict rules, the poll loop, jobs on a pty, verdict files, who runs
# the pipeline) and their unit tests.
# One fragment for all of it, included from Makefile.am.
libhalve_a_SOURCES += \
	src/conf.c src/conf.h \
	src/rules.c src/rules.h \
	src/loop.c src/loop.h \
	src/job.c src/job.h \
	src/verdict.c src/verdict.h \
	src/running.c src/running.h

pipeline_unit_tests = \
	tests/unit/test-config \
	tests/unit/test-rules \
	tests/unit/test-loop \
	tests/unit/test-job \
	tests/unit/test-verdict
check_PROGRAMS += $(pipeline_unit_tests)
TESTS += $(pipeline_unit_tests)

tests_unit_test_config_SOURCES = tests/unit/test-config.c tests/unit/tap.h
tests_unit_test_config_LDADD = $(HALVE_LIBS)
tests_unit_test_rules_SOURCES = tests/unit/test-rules.c tests/unit/tap.h
tests_unit_test_rules_LDADD = $(HALVE_LIBS)
tests_unit_test_loop_SOURCES = tests/unit/test-loop.c tests/unit/tap.h
tests_unit_test_loop_LDADD = $(HALVE_LIBS)
tests_unit_test_job_SOURCES = tests/unit/test-job.c tests/unit/tap.h
tests_unit_test_job_LDADD = $(HALVE_LIBS)
tests_unit_test_verdict_SOURCES = tests/unit/test-verdict.c tests/unit/tap.h
tests_unit_test_verdict_LDADD = $(HALVE_LIBS)
