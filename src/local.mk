# src/local.mk: libhalve (the core: no curses, no printing) and the CLI.
libhalve_a_SOURCES += \
	src/util.c src/util.h \
	src/dag.c src/dag.h \
	src/bisect.c src/bisect.h

halve_SOURCES += src/main.c
