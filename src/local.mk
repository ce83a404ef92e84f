# src/local.mk: libhalve (the core: no curses, no printing) and the CLI.
libhalve_a_SOURCES += \
	src/util.c src/util.h src/fault.c src/fault.h \
	src/dag.c src/dag.h \
	src/bisect.c src/bisect.h src/noisy.c src/noisy.h src/confidence.c \
	src/verify.c src/verify.h \
	src/repo.c src/repo.h \
	src/graph.c src/graph.h \
	src/state.c src/state.h \
	src/bisectlog.c src/bisectlog.h \
	src/lock.c src/lock.h \
	src/session.c src/session.h src/sessionint.h \
	src/frames.c src/replay.c src/rangecache.c \
	src/runcmd.c src/runcmd.h \
	src/lanes.c src/lanes.h \
	src/view.c src/view.h \
	src/qemu.c src/qemu.h src/boot.c src/boot.h src/artifacts.c src/artifacts.h \
	src/rebuild.c src/rebuild.h src/costpick.c \
	src/pipeline.c src/pipeline.h
# which build a step runs: distributed, or local when that is faster
libhalve_a_SOURCES += src/buildpick.c src/buildpick.h
check_PROGRAMS += tests/unit/test-distbuild
TESTS += tests/unit/test-distbuild
tests_unit_test_distbuild_SOURCES = tests/unit/test-distbuild.c tests/unit/tap.h
tests_unit_test_distbuild_LDADD = $(HALVE_LIBS)
# the kernel rig: halve setup kernel, halve doctor
libhalve_a_SOURCES += \
	src/host.c src/host.h src/rig.c src/rig.h src/rigint.h src/rigtext.c \
	src/rigdist.c src/distprobe.c src/distprobe.h \
	src/doctor.c src/doctor.h

halve_SOURCES += src/main.c src/cli.h src/cli-print.c src/cli-pipeline.c src/notls.c \
	src/cli-rig.c src/cli-rig.h \
	src/workstation.c src/workstation.h
