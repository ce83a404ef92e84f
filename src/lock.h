/*
 * lock.h: the session lock, .git/halve/lock. Every change to a session
 * (a mark, start, reset, replay, descend, ascend, undo) is made holding
 * it, after reading the state again; readers (status, log, view) never
 * take it, so nothing waits for a build or a boot, which run unlocked.
 *
 * An flock(2) on the file: the kernel drops it when its holder dies, so a
 * killed halve never leaves a stale lock behind.
 */
#ifndef HALVE_LOCK_H
#define HALVE_LOCK_H

#include "util.h"

struct hv_lock;

/*
 * Takes the lock in the directory dir (created if missing), waiting for
 * another holder when wait is set; without wait, returns 0 with *out NULL
 * when someone holds it. -1 with err on failure.
 */
int hv_lock_take(const char *dir, int wait, struct hv_lock **out,
		 struct hv_error *err);
void hv_lock_release(struct hv_lock *lock);

#endif
