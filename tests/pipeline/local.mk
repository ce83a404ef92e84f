# tests/pipeline/local.mk: (owned by its module; see Makefile.am)
