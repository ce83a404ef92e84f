#!/bin/sh
# tests/fuzz/fuzz.sh: `make fuzz`. Builds each fuzz target with clang and
# libFuzzer (ASan and UBSan on, as in --enable-sanitizers) against the
# core's sources compiled the same way, then runs each for FUZZ_SECONDS.
# New inputs go to a work corpus in the build tree (tests/fuzz/work/T/),
# seeded by the corpus and the regression inputs in the source tree; a crash leaves its input as
# tests/fuzz/work/crash-T-* and makes the run fail. The last lines give
# per target the executions and the inputs in the corpus.
#
# Called by make with: FUZZ_CC, FUZZ_SECONDS, FUZZ_TARGETS, FUZZ_SOURCES
# (the core's .c files, relative to srcdir), FUZZ_CPPFLAGS, FUZZ_LIBS,
# srcdir. It must not write into the source tree.
set -eu

: "${FUZZ_CC:?no clang found by configure (apt-get install clang)}"
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
out=tests/fuzz/work
mkdir -p "$out/obj"

# The core, instrumented for coverage, as an archive so each target pulls
# only the objects it needs (and no target needs qemu or curses).
newest=$(cd "$srcdir" && ls -t src/*.[ch] ui/*.[ch] tests/fuzz/*.[ch] | head -n 1)
if [ ! -f "$out/libhalve-fuzz.a" ] || [ "$srcdir/$newest" -nt "$out/libhalve-fuzz.a" ]; then
	echo "fuzz: compiling the core with $FUZZ_CC"
	rm -f "$out/libhalve-fuzz.a" "$out"/obj/*.o
	for c in $FUZZ_SOURCES; do
		case $c in *.c) ;; *) continue ;; esac
		o=$out/obj/$(echo "$c" | tr / _ | sed 's/\.c$/.o/')
		# shellcheck disable=SC2086
		$FUZZ_CC $flags -fsanitize=fuzzer-no-link $FUZZ_CPPFLAGS \
			-DHV_THEMEDIR='"/nonexistent"' -c "$srcdir/$c" -o "$o"
	done
	ar rcs "$out/libhalve-fuzz.a" "$out"/obj/*.o
fi

status=0
summary=
for t in $FUZZ_TARGETS; do
	bin=$out/fuzz-$t
	# shellcheck disable=SC2086
	$FUZZ_CC $flags -fsanitize=fuzzer -DHV_LIBFUZZER $FUZZ_CPPFLAGS \
		"$srcdir/tests/fuzz/fuzz-$t.c" "$out/libhalve-fuzz.a" $FUZZ_LIBS \
		-o "$bin"
	mkdir -p "$out/$t"
	# libFuzzer refuses a missing directory, and git keeps no empty one
	regress=$srcdir/tests/fuzz/regress/$t
	[ -d "$regress" ] || regress=
	echo "fuzz: $t for ${FUZZ_SECONDS}s"
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$out/crash-$t-" \
		"$out/$t" "$srcdir/tests/fuzz/corpus/$t" $regress \
		>"$out/$t.log" 2>&1; then
		verdict=ok
	else
		verdict="CRASH (see $out/$t.log)"
		status=1
	fi
	execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$out/$t.log")
	summary="$summary$t: ${execs:-?} executions in ${FUZZ_SECONDS}s, $(ls "$out/$t" | wc -l) inputs in the work corpus, $verdict
"
done
printf '%s' "$summary"
exit $status
