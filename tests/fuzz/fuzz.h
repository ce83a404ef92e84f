/*
 * fuzz.h: what every fuzz target in tests/fuzz/ defines. A target is one
 * function that takes any bytes and must neither crash, leak, read out of
 * bounds nor meet undefined behaviour, whatever the bytes. The same file
 * builds two ways: with clang and libFuzzer for `make fuzz` (fuzz.sh
 * defines HV_LIBFUZZER, and the function is libFuzzer's entry point), and
 * with the project's compiler into tests/fuzz/replay, a plain test that
 * feeds every target its corpus and every input that once crashed it
 * (tests/fuzz/corpus/T/, tests/fuzz/regress/T/) in `make check`.
 */
#ifndef HALVE_FUZZ_H
#define HALVE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef HV_LIBFUZZER
#define FUZZ_TARGET(name) LLVMFuzzerTestOneInput
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#else
#define FUZZ_TARGET(name) fuzz_##name
#endif

/* The targets, for replay.c: X(name) each. */
#define HV_FUZZ_TARGETS(X) X(conf) X(theme) X(rules) X(lanes) X(cgraph) \
	X(bisectlog) X(frames) X(rebuild)

#define HV_FUZZ_DECLARE(name) \
	int FUZZ_TARGET(name)(const uint8_t *data, size_t size);
HV_FUZZ_TARGETS(HV_FUZZ_DECLARE)
#undef HV_FUZZ_DECLARE

#endif
