# tests/fuzz/local.mk: the fuzz targets (see tests/fuzz/fuzz.h). In
# `make check` they are one plain program, tests/fuzz/replay, that feeds
# each target its seed corpus and its regression inputs once; `make fuzz`
# builds each with clang and libFuzzer and runs it for FUZZ_SECONDS
# (doc/FUZZING.md). A new target: fuzz-T.c, HV_FUZZ_TARGETS in fuzz.h,
# the lists below, and a seed corpus in tests/fuzz/corpus/T/.
FUZZ_TARGETS = conf theme rules lanes cgraph bisectlog frames rebuild
FUZZ_SECONDS = 60
FUZZ_SOURCES = tests/fuzz/fuzz-conf.c tests/fuzz/fuzz-theme.c \
	tests/fuzz/fuzz-rules.c tests/fuzz/fuzz-lanes.c tests/fuzz/fuzz-cgraph.c \
	tests/fuzz/fuzz-bisectlog.c tests/fuzz/fuzz-frames.c tests/fuzz/fuzz-rebuild.c
EXTRA_DIST += tests/fuzz/fuzz.sh tests/fuzz/corpus tests/fuzz/regress doc/FUZZING.md

check_PROGRAMS += tests/fuzz/replay
tests_fuzz_replay_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz.h $(FUZZ_SOURCES)
tests_fuzz_replay_LDADD = libhalve-ui.a $(HALVE_LIBS) -lm
TESTS += tests/fuzz/replay

# make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS='conf lanes']
fuzz: ui/themes.h
	$(AM_V_at)FUZZ_CC='$(FUZZ_CC)' FUZZ_SECONDS='$(FUZZ_SECONDS)' \
	FUZZ_TARGETS='$(FUZZ_TARGETS)' srcdir='$(srcdir)' \
	FUZZ_SOURCES='$(libhalve_a_SOURCES) ui/theme.c' \
	FUZZ_CPPFLAGS='-I$(srcdir)/src -I$(srcdir)/ui -I$(builddir) $(LIBGIT2_CFLAGS) $(PCRE2_CFLAGS)' \
	FUZZ_LIBS='$(LIBGIT2_LIBS) $(PCRE2_LIBS) $(LIBS) -lm' \
	$(SHELL) $(srcdir)/tests/fuzz/fuzz.sh
.PHONY: fuzz
clean-local: clean-fuzz
clean-fuzz:
	rm -rf tests/fuzz/work
.PHONY: clean-fuzz
