/*
 * running.c: .git/halve/running and running.lock (running.h). The lock
 * is an fcntl record lock, not an flock: a fork does not inherit it (the
 * jobs, their watchdogs), and F_GETLK names its holder.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "running.h"

void
hv_running_write(const struct hv_repo *repo, enum hv_stage stage,
		 const char *hex, int decided)
{
	char *path = hv_repo_path(repo, "halve/running");

	if (stage == HV_STAGE_IDLE) {
		unlink(path);
	} else {
		char *text = xasprintf("stage %s\ncommit %s\nstarted %lld\n"
				       "pid %ld\n%s", hv_stage_name(stage), hex,
				       (long long)hv_wall_ms(), (long)getpid(),
				       decided ? "decided 1\n" : "");

		hv_write_file_atomic(path, text, strlen(text), NULL);
		free(text);
	}
	free(path);
}

/* .git/halve/running as written, whoever wrote it; 1 when readable. */
static int
parse_running(const char *path, struct hv_running *r)
{
	struct strbuf sb = STRBUF_INIT;
	char stage[32] = "", hex[41] = "";
	long long started = 0;
	size_t i;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (hv_read_file(path, &sb) == 0 && sb.buf &&
	    sscanf(sb.buf, "stage %31s\ncommit %40s\nstarted %lld\npid %ld",
		   stage, hex, &started, &r->pid) == 4 &&
	    hv_oid_parse(&r->commit, hex) == 0) {
		for (i = 0; i <= HV_STAGE_TEST; i++)
			if (!strcmp(stage, hv_stage_name((enum hv_stage)i)))
				r->stage = (enum hv_stage)i;
		r->started_ms = started;
		r->decided = strstr(sb.buf, "\ndecided 1\n") != NULL;
		rc = 1;
	}
	sb_release(&sb);
	return rc;
}

/* The pid holding running.lock (fd open on it), or 0 when nobody does
 * (this process's own lock is not seen: record locks are per process). */
static long
lock_holder(int fd)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type == F_UNLCK)
		return 0;
	return (long)fl.l_pid;
}

int
hv_pipeline_read_running(struct hv_session *s, struct hv_running *r)
{
	const struct hv_repo *repo = hv_session_repo(s);
	char *path = hv_repo_path(repo, "halve/running");
	char *lock = hv_repo_path(repo, "halve/running.lock");
	int fd, rc = parse_running(path, r) && r->stage != HV_STAGE_IDLE;

	/* alive: its lock is held (by it: a pid reused is not a pipeline),
	 * or it is this very process */
	if (rc && r->pid != (long)getpid()) {
		fd = open(lock, O_RDONLY | O_CLOEXEC);
		rc = fd >= 0 && lock_holder(fd) != 0;
		if (fd >= 0)
			close(fd);
	}
	free(path);
	free(lock);
	return rc;
}

/* Another halve's pipeline holds the lock: say which, from its file. */
static int
refuse(int fd, const char *running, struct hv_error *err)
{
	struct hv_running r;
	long holder = lock_holder(fd);
	char hex[41];

	if (parse_running(running, &r) && (!holder || r.pid == holder)) {
		hv_oid_fmt(hex, &r.commit);
		return hv_error_set(err, "run: a pipeline is running (pid %ld, "
				    "step %s)", r.pid, hex);
	}
	/* between its lock and its first word: no step named yet */
	return hv_error_set(err, "run: a pipeline is running (pid %ld)",
			    holder);
}

int
hv_running_claim(const struct hv_repo *repo, int *fd,
		 struct hv_running *stale, struct hv_error *err)
{
	char *dir = hv_repo_path(repo, "halve");
	char *lock = hv_repo_path(repo, "halve/running.lock");
	char *running = hv_repo_path(repo, "halve/running");
	struct flock fl;
	int lfd = -1, rc = -1;

	memset(stale, 0, sizeof(*stale));
	if (hv_mkdir_p(dir, err) < 0)
		goto out;
	lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lfd < 0) {
		hv_error_set(err, "%s: %s", lock, strerror(errno));
		goto out;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(lfd, F_SETLK, &fl) < 0) {
		if (errno == EACCES || errno == EAGAIN)
			refuse(lfd, running, err);
		else
			hv_error_set(err, "%s: %s", lock, strerror(errno));
		goto out;
	}
	*fd = lfd;
	lfd = -1;
	rc = 0;
	if (!parse_running(running, stale) || stale->pid == (long)getpid())
		memset(stale, 0, sizeof(*stale));
out:
	if (lfd >= 0)
		close(lfd);
	free(dir);
	free(lock);
	free(running);
	return rc;
}

void
hv_running_release(int *fd)
{
	if (*fd >= 0)
		close(*fd);	/* drops the lock */
	*fd = -1;
}
