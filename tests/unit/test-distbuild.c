/*
 * test-distbuild.c: the pure parts of distributed builds: distcc host
 * lists read as distcc reads them (src/distprobe.h: local, TCP with a
 * port, ssh, IPv6, ,cpp, options that are not hosts), and the compile
 * lines counted in a build log (src/buildpick.h: kbuild's quiet lines,
 * compiler command lines with -c, and what is neither).
 */
#include "config.h"

#include <string.h>

#include "buildpick.h"
#include "distprobe.h"
#include "tap.h"

static void
test_hosts(void)
{
	struct hv_distcc_hosts h;

	hv_distcc_hosts_parse("  localhost/2 --randomize 10.0.0.5/8,cpp,lzo\n"
			      "build:4000/4,lzo alice@far/6 @near "
			      "[::1]:3700/2,cpp +zeroconf", &h);
	is_int(h.n, 6, "six hosts; --randomize and +zeroconf are not hosts");
	if (h.n != 6) {
		hv_distcc_hosts_release(&h);
		return;
	}
	ok(h.v[0].host == NULL, "localhost is this machine");
	is_str(h.v[1].host, "10.0.0.5", "a TCP host");
	is_str(h.v[1].port, "3632", "on distcc's port");
	ok(h.v[1].cpp, ",cpp: it preprocesses");
	is_str(h.v[1].spec, "10.0.0.5/8,cpp,lzo", "its spec as written");
	is_str(h.v[2].host, "build", "a host with a port");
	is_str(h.v[2].port, "4000", "that port");
	ok(!h.v[2].cpp, "lzo alone is not cpp");
	ok(h.v[3].ssh && !strcmp(h.v[3].host, "far"), "USER@HOST: over ssh");
	ok(h.v[4].ssh && !strcmp(h.v[4].host, "near"), "@HOST: over ssh");
	is_str(h.v[5].host, "::1", "an IPv6 address in brackets");
	is_str(h.v[5].port, "3700", "with its port");
	hv_distcc_hosts_release(&h);
	hv_distcc_hosts_parse("", &h);
	is_int(h.n, 0, "an empty list has no host");
	hv_distcc_hosts_release(&h);
}

static uint64_t
count(const char *log)
{
	return hv_buildpick_count(log, strlen(log));
}

static void
test_count(void)
{
	is_int(count("  CC      init/main.o\r\n  CC [M]  fs/x.o\n"
		     "  HOSTCC  scripts/basic/fixdep\n  LD      vmlinux\n"
		     "  AS      arch/x86/entry.o\n"), 2,
	       "kbuild: CC and CC [M] lines, not HOSTCC, LD or AS");
	is_int(count("gcc -O2 -c a.c -o a.o\n/usr/bin/cc -c b.c\n"
		     "ccache gcc -c c.c\ndistcc x86_64-linux-gnu-gcc -c d.c\n"
		     "gcc -o prog a.o b.o\nmake: Nothing to be done\n"
		     "echo gcc -c x\n"), 4,
	       "compiler command lines with -c, not links or echoes");
	is_int(count("  CC      last.o"), 1, "a last line without a newline");
	is_int(count(""), 0, "an empty log");
}

int
main(void)
{
	test_hosts();
	test_count();
	return done_testing();
}
