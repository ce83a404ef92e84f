# doc/local.mk: the manual pages, installed and distributed, and the other
# documents, distributed. halve-themes.5 is added by ui/local.mk.
dist_man_MANS += doc/halve.1 doc/halve.conf.5
EXTRA_DIST += doc/ARCHITECTURE.md doc/PERFORMANCE.md
