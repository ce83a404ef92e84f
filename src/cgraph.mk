# src/cgraph.mk: (owned by its module; see Makefile.am)
