# src/pipeline.mk: (owned by its module; see Makefile.am)
