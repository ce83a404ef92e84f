/* test-bisect.c: the bisection algorithm on hand-built DAGs. */
#include "config.h"
#include <stdlib.h>
#include "bisect.h"
#include "tap.h"
int main(void) { ok(1, "placeholder"); return done_testing(); }
