# bench/local.mk: the benchmarks (see doc/PERFORMANCE.md). Nothing here is
# built by `make` or run by `make check`: `make bench` builds the history
# generator and the console tools, `make bench-pick`, `bench-skips`,
# `bench-run-overhead`, `bench-run-linear`, `bench-handoff`, `bench-console-throughput`,
# `bench-graph-cache`, `bench-flaky` and `bench-gitgit` (GITGIT=a git.git clone) run
# one benchmark each against the halve built here (minutes, not seconds);
# `bench-costaware` and then `bench-rebuild-model` (GITBUILD=a git.git clone
# with a work tree, built and bisected there) take most of an hour.
EXTRA_PROGRAMS = bench/gen-history bench/stand-in-qemu bench/ptycat \
	bench/console-path bench/flaky bench/skips-replay bench/rebuild-cost
bench_gen_history_SOURCES = bench/gen-history.c
bench_gen_history_LDADD = -lm
bench_stand_in_qemu_SOURCES = bench/stand-in-qemu.c
bench_ptycat_SOURCES = bench/ptycat.c
bench_ptycat_LDADD = $(LIBS)
bench_console_path_SOURCES = bench/console-path.c
bench_console_path_LDADD = $(HALVE_LIBS)
bench_flaky_SOURCES = bench/flaky.c
bench_flaky_LDADD = $(HALVE_LIBS) -lm
bench_skips_replay_SOURCES = bench/skips-replay.c
bench_skips_replay_LDADD = $(HALVE_LIBS) -lm
bench_rebuild_cost_SOURCES = bench/rebuild-cost.c
bench_rebuild_cost_LDADD = $(HALVE_LIBS)
CLEANFILES += bench/gen-history$(EXEEXT) bench/stand-in-qemu$(EXEEXT) \
	bench/ptycat$(EXEEXT) bench/console-path$(EXEEXT) bench/flaky$(EXEEXT) \
	bench/skips-replay$(EXEEXT) bench/rebuild-cost$(EXEEXT)
EXTRA_DIST += bench/lib.sh bench/oracle.sh bench/pick.sh bench/skips.sh \
	bench/run-overhead.sh bench/console-lib.sh bench/handoff.sh \
	bench/console-throughput.sh bench/graph-cache.sh bench/gitgit.sh \
	bench/run-linear.sh bench/skips-compare.sh bench/flaky.sh \
	bench/costaware.sh bench/rebuild-model.sh

BENCH_ENV = HALVE_BUILDDIR='$(abs_top_builddir)' HALVE='$(abs_top_builddir)/halve' \
	GEN_HISTORY='$(abs_top_builddir)/bench/gen-history$(EXEEXT)'

bench: bench/gen-history$(EXEEXT) bench/stand-in-qemu$(EXEEXT) \
	bench/ptycat$(EXEEXT) bench/console-path$(EXEEXT) \
	bench/skips-replay$(EXEEXT) halve$(EXEEXT)
bench-pick: bench
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/pick.sh $(BENCH_FLAGS)
bench-skips: bench
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/skips.sh $(BENCH_FLAGS)
bench-run-overhead: bench
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/run-overhead.sh $(BENCH_FLAGS)
bench-run-linear: halve$(EXEEXT)
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/run-linear.sh $(BENCH_FLAGS)
bench-handoff: bench
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/handoff.sh $(BENCH_FLAGS)
bench-console-throughput: bench
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/console-throughput.sh $(BENCH_FLAGS)
bench-graph-cache: bench
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/graph-cache.sh $(BENCH_FLAGS)
bench-flaky: bench/flaky$(EXEEXT)
	FLAKY='$(abs_top_builddir)/bench/flaky$(EXEEXT)' $(SHELL) $(srcdir)/bench/flaky.sh $(BENCH_FLAGS)
# GITGIT: a clone of git.git without a commit-graph (see bench/gitgit.sh)
bench-gitgit: halve$(EXEEXT)
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/gitgit.sh $(BENCH_FLAGS) '$(GITGIT)'
# GITBUILD: a git.git clone with a work tree (see bench/costaware.sh)
bench-costaware: bench/rebuild-cost$(EXEEXT) halve$(EXEEXT)
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/costaware.sh $(BENCH_FLAGS) '$(GITBUILD)'
bench-rebuild-model: bench/rebuild-cost$(EXEEXT)
	$(BENCH_ENV) $(SHELL) $(srcdir)/bench/rebuild-model.sh $(BENCH_FLAGS) '$(GITBUILD)'
.PHONY: bench bench-pick bench-skips bench-run-overhead bench-handoff \
	bench-console-throughput bench-graph-cache bench-gitgit bench-flaky \
	bench-costaware bench-rebuild-model
