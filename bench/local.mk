# bench/local.mk: the benchmarks (see doc/PERFORMANCE.md). Nothing here is
# built by `make` or run by `make check`: `make bench` builds the history
# generator, `make bench-pick`, `bench-skips` and `bench-run-overhead` run
# one benchmark each against the halve built here (minutes, not seconds).
EXTRA_PROGRAMS = bench/gen-history
bench_gen_history_SOURCES = bench/gen-history.c
bench_gen_history_LDADD = -lm
CLEANFILES += bench/gen-history$(EXEEXT)
EXTRA_DIST += bench/lib.sh bench/oracle.sh bench/pick.sh bench/skips.sh \
	bench/run-overhead.sh

BENCH_ENV = HALVE_BUILDDIR='$(abs_top_builddir)' HALVE='$(abs_top_builddir)/halve' \
	GEN_HISTORY='$(abs_top_builddir)/bench/gen-history$(EXEEXT)'

bench: bench/gen-history$(EXEEXT) halve$(EXEEXT)
bench-pick: bench
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/pick.sh $(BENCH_FLAGS)
bench-skips: bench
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/skips.sh $(BENCH_FLAGS)
bench-run-overhead: bench
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/run-overhead.sh $(BENCH_FLAGS)
.PHONY: bench bench-pick bench-skips bench-run-overhead
