# tests/ui/local.mk: the workstation's tests. Unit tests of the pieces
# that need no terminal (themes, keys, lanes, the terminal panes fed with
# bytes), and scripted screen tests: halve-tui --script under ptydrive, a
# real pty with a libvterm terminal on the other side, each dump compared
# with its golden file in tests/ui/golden/.
check_PROGRAMS += tests/ui/ptydrive tests/ui/halve-tui tests/ui/test-ui
tests_ui_ptydrive_SOURCES = tests/ui/ptydrive.c
tests_ui_ptydrive_LDADD = $(VTERM_LIBS) $(LIBS)
tests_ui_halve_tui_SOURCES = tests/ui/halve-tui.c
tests_ui_halve_tui_LDADD = libhalve-ui.a $(HALVE_LIBS) -lm
tests_ui_test_ui_SOURCES = tests/ui/test-ui.c tests/unit/tap.h
tests_ui_test_ui_LDADD = libhalve-ui.a $(HALVE_LIBS) -lm

UI_SHELL_TESTS = \
	tests/ui/e2e.sh \
	tests/ui/slots.sh \
	tests/ui/flood.sh \
	tests/ui/pause.sh \
	tests/ui/retest-verify.sh \
	tests/ui/layout.sh \
	tests/ui/marks.sh \
	tests/ui/panes.sh \
	tests/ui/safety.sh \
	tests/ui/themes.sh \
	tests/ui/descend.sh \
	tests/ui/graph.sh \
	tests/ui/loading.sh \
	tests/ui/concurrent.sh \
	tests/ui/run-cmd.sh \
	tests/ui/candidates.sh \
	tests/ui/rebuild.sh
TESTS += $(UI_SHELL_TESTS) tests/ui/test-ui
EXTRA_DIST += $(UI_SHELL_TESTS) tests/ui/lib.sh tests/ui/golden
