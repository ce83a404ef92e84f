# ui/local.mk: the workstation (the curses face) as libhalve-ui.a, linked
# into halve, with the shipped themes built in through a generated
# header, and its tests (tests/ui/local.mk).
noinst_LIBRARIES += libhalve-ui.a
libhalve_ui_a_SOURCES = \
	ui/tui.c ui/tui.h ui/tuiint.h \
	ui/layout.c ui/actions.c ui/script.c ui/candidates.c \
	ui/pane.h ui/graph.c ui/grange.c ui/grange.h \
	ui/termpane.c ui/termpane.h \
	ui/keys.c ui/keys.h \
	ui/theme.c ui/theme.h ui/draw.c ui/draw.h
nodist_libhalve_ui_a_SOURCES = ui/themes.h
libhalve_ui_a_CPPFLAGS = $(AM_CPPFLAGS) -DHV_THEMEDIR='"$(themedir)"'
halve_LDADD += libhalve-ui.a $(HALVE_LIBS)

themedir = $(pkgdatadir)/themes
HV_THEME_FILES = \
	themes/default.theme themes/mono.theme \
	themes/light.theme themes/contrast.theme
dist_theme_DATA = $(HV_THEME_FILES)
EXTRA_DIST += ui/mkthemes.sh
dist_man_MANS += doc/halve-themes.5

# The shipped themes, built into the binary (the default needs no file).
ui/themes.h: $(HV_THEME_FILES) $(srcdir)/ui/mkthemes.sh
	$(AM_V_GEN)$(MKDIR_P) ui && \
	(cd $(srcdir) && $(SHELL) ui/mkthemes.sh $(HV_THEME_FILES)) > $@-t && \
	mv $@-t $@
ui/libhalve_ui_a-theme.$(OBJEXT): ui/themes.h
CLEANFILES += ui/themes.h

include tests/ui/local.mk
