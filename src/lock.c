/*
 * lock.c: the session lock (lock.h), an flock on .git/halve/lock.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lock.h"

struct hv_lock {
	int fd;
};

int
hv_lock_take(const char *dir, int wait, struct hv_lock **out,
	     struct hv_error *err)
{
	char *path;
	int fd;

	*out = NULL;
	if (hv_mkdir_p(dir, err) < 0)
		return -1;
	path = xasprintf("%s/lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		hv_error_set(err, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	while (flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK && !wait) {
			close(fd);
			free(path);
			return 0;
		}
		hv_error_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		free(path);
		return -1;
	}
	free(path);
	*out = xmalloc(sizeof(**out));
	(*out)->fd = fd;
	return 0;
}

void
hv_lock_release(struct hv_lock *lock)
{
	if (!lock)
		return;
	close(lock->fd);	/* drops the flock */
	free(lock);
}
