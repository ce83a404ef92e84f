/*
 * host.c: probes of the machine for the kernel rig (see host.h). KVM is
 * tried (a VM created), not inferred from /dev/kvm being there: in a
 * container or a VM without nested virtualisation the file exists and
 * every ioctl fails, and qemu -machine accel=kvm would then not start.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"

static int
is_executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

char *
hv_host_which(const char *prog)
{
	const char *path = getenv("PATH"), *p, *end;

	if (strchr(prog, '/'))
		return is_executable_file(prog) ? xstrdup(prog) : NULL;
	if (!path)
		path = "/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		char *cand;
		size_t len;

		end = strchr(p, ':');
		len = end ? (size_t)(end - p) : strlen(p);
		/* an empty element is the current directory, as in sh */
		cand = len ? xasprintf("%.*s/%s", (int)len, p, prog)
			   : xasprintf("./%s", prog);
		if (is_executable_file(cand))
			return cand;
		free(cand);
		if (!end)
			return NULL;
	}
}

/* The kernel's side: /dev/kvm opens, speaks qemu's API, makes a VM. */
static int
kvm_device(struct hv_error *why)
{
	const char *dev = "/dev/kvm";
	int fd, vm, version;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return hv_error_set(why, "%s: %s", dev, strerror(errno));
	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		close(fd);
		return hv_error_set(why, "%s: API version %d, qemu needs %d",
				    dev, version, KVM_API_VERSION);
	}
	vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm < 0) {
		hv_error_set(why, "%s: cannot create a VM: %s", dev,
			     strerror(errno));
		close(fd);
		return -1;
	}
	close(vm);
	close(fd);
	return 0;
}

/*
 * A boot sector that writes 0x21 to qemu's isa-debug-exit port: qemu
 * then exits with status (0x21 << 1) | 1.
 */
static const unsigned char exit_code[] = {
	0xb0, 0x21,		/* mov al, 0x21 */
	0xe6, 0xf4,		/* out 0xf4, al */
	0xf4, 0xeb, 0xfd,	/* hlt; jmp $-1 */
};
#define EXIT_STATUS ((0x21 << 1) | 1)

static char *
write_boot_sector(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/halve-kvm.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	unsigned char sector[512] = { 0 };
	int fd = mkstemp(path);

	memcpy(sector, exit_code, sizeof(exit_code));
	sector[510] = 0x55;
	sector[511] = 0xaa;
	if (fd < 0 || write(fd, sector, sizeof(sector)) != sizeof(sector)) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

/* Waits for pid up to ms, through the pipe it holds open; -1: it did
 * not end in time (then it is killed). */
static int
wait_for(pid_t pid, int fd, int ms, int *status)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char c;
	int rc;

	while ((rc = poll(&pfd, 1, ms)) < 0 && errno == EINTR)
		;
	if (rc == 1)
		while (read(fd, &c, 1) > 0)	/* nothing is written: EOF */
			;
	if (rc != 1)
		kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return rc == 1 ? 0 : -1;
}

/*
 * qemu's side: /dev/kvm may create VMs and still not run a guest (a VM
 * whose CPU model the host cannot give, MSRs it refuses), and then qemu
 * hangs or aborts. So qemu boots a boot sector under KVM, which must
 * exit through isa-debug-exit within seconds (it takes a fraction of one).
 */
static int
kvm_qemu(const char *qemu, struct hv_error *why)
{
	char *img = write_boot_sector(), *drive;
	int fds[2], status = 0, rc;
	pid_t pid;

	if (!img)
		return hv_error_set(why, "cannot write a boot sector to try "
				    "KVM: %s", strerror(errno));
	drive = xasprintf("file=%s,format=raw,if=floppy", img);
	if (pipe(fds) < 0 || (pid = fork()) < 0) {
		rc = hv_error_set(why, "cannot run %s: %s", qemu, strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		close(fds[0]);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execl(qemu, qemu, "-machine", "accel=kvm", "-display", "none",
		      "-nodefaults", "-no-reboot", "-m", "16", "-device",
		      "isa-debug-exit,iobase=0xf4,iosize=0x04", "-drive", drive,
		      (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	rc = wait_for(pid, fds[0], 5000, &status);
	close(fds[0]);
	if (rc < 0)
		rc = hv_error_set(why, "/dev/kvm makes VMs, but qemu under KVM "
				  "did not run a boot sector in 5 s");
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != EXIT_STATUS)
		rc = hv_error_set(why, "/dev/kvm makes VMs, but qemu under KVM "
				  "failed to run a boot sector (exit %d)",
				  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
out:
	unlink(img);
	free(img);
	free(drive);
	return rc;
}

int
hv_host_kvm(const char *qemu, struct hv_error *why)
{
	if (kvm_device(why) < 0)
		return 0;
	if (qemu && kvm_qemu(qemu, why) < 0)
		return 0;
	return 1;
}

int
hv_host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

uint64_t
hv_host_mem_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || size <= 0)
		return 0;
	return (uint64_t)pages * (uint64_t)size;
}

int
hv_host_free_bytes(const char *path, uint64_t *out)
{
	char *p = xstrdup(path);
	struct statvfs vfs;
	int rc;

	/* the build directory may not exist yet: ask its nearest parent */
	while ((rc = statvfs(p, &vfs)) < 0 && errno == ENOENT) {
		char *slash = strrchr(p, '/');

		if (!slash || slash == p)
			break;
		*slash = '\0';
	}
	free(p);
	if (rc < 0)
		return -1;
	*out = (uint64_t)vfs.f_bavail * (uint64_t)vfs.f_frsize;
	return 0;
}

/* Whether the 64-bit ELF file f has a PT_INTERP program header. */
static int
elf64_has_interp(FILE *f)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int i;

	if (fseek(f, 0, SEEK_SET) < 0 || fread(&eh, sizeof(eh), 1, f) != 1 ||
	    eh.e_phentsize != sizeof(ph))
		return -1;
	for (i = 0; i < eh.e_phnum; i++) {
		if (fseek(f, (long)(eh.e_phoff + (uint64_t)i * sizeof(ph)),
			  SEEK_SET) < 0 || fread(&ph, sizeof(ph), 1, f) != 1)
			return -1;
		if (ph.p_type == PT_INTERP)
			return 1;
	}
	return 0;
}

int
hv_host_elf_static(const char *path)
{
	unsigned char ident[EI_NIDENT];
	FILE *f = fopen(path, "rb");
	int rc = -1;

	if (!f)
		return -1;
	/* a 64-bit little-endian ELF, what qemu-system-x86_64 guests run */
	if (fread(ident, sizeof(ident), 1, f) == 1 &&
	    !memcmp(ident, ELFMAG, SELFMAG) && ident[EI_CLASS] == ELFCLASS64 &&
	    ident[EI_DATA] == ELFDATA2LSB) {
		int interp = elf64_has_interp(f);

		rc = interp < 0 ? -1 : !interp;
	}
	fclose(f);
	return rc;
}

/* Waits until fd is writable (a connect in progress) or ms pass. */
static int
connect_wait(int fd, int ms)
{
	struct pollfd pfd = { fd, POLLOUT, 0 };
	int rc, soerr = 0;
	socklen_t len = sizeof(soerr);

	while ((rc = poll(&pfd, 1, ms)) < 0 && errno == EINTR)
		;
	if (rc == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		return -1;
	errno = soerr;
	return soerr ? -1 : 0;
}

/* One address of the host tried; the socket or -1 with errno. */
static int
tcp_try(const struct addrinfo *ai, int timeout_ms)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
			SOCK_NONBLOCK, ai->ai_protocol), saved;

	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
	    (errno == EINPROGRESS && connect_wait(fd, timeout_ms) == 0)) {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		return fd;
	}
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int
hv_host_tcp_connect(const char *host, const char *port, int timeout_ms,
		    struct hv_error *why)
{
	struct addrinfo hints, *res, *ai;
	int rc, fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc)
		return hv_error_set(why, "%s:%s: %s", host, port,
				    gai_strerror(rc));
	for (ai = res; ai && fd < 0; ai = ai->ai_next)
		fd = tcp_try(ai, timeout_ms);
	if (fd < 0)
		hv_error_set(why, "%s:%s: %s", host, port, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

int
hv_host_unix_answers(const char *path)
{
	struct sockaddr_un sa;
	int fd, ok;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

int
hv_host_read_all(int fd, struct strbuf *out, size_t max, int timeout_ms)
{
	int64_t end = hv_now_ms() + timeout_ms;
	struct pollfd pfd = { fd, POLLIN, 0 };
	char buf[4096];
	ssize_t n;
	int rc;

	for (;;) {
		int64_t left = end - hv_now_ms();

		if (left <= 0 || out->len >= max)
			return -1;
		rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return -1;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? 0 : -1;
		sb_add(out, buf, (size_t)n);
	}
}

int
hv_host_output(char *const argv[], const char *env_add, struct strbuf *out,
	       int timeout_ms)
{
	int pfd[2], status = 0, rc;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null < 0 || dup2(null, 0) < 0 || dup2(pfd[1], 1) < 0 ||
		    dup2(null, 2) < 0 || (env_add && putenv((char *)env_add)))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		return -1;
	}
	rc = hv_host_read_all(pfd[0], out, 1 << 20, timeout_ms);
	close(pfd[0]);
	if (rc < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return rc == 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
