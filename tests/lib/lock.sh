# tests/lib/lock.sh: holding halve's session lock (.git/halve/lock) from
# a test, as another halve in the middle of a change holds it, to stop a
# halve at the moment it waits for the lock and change the session under
# it. Source it after tap.sh, in the repository. Linux only: the kernel's
# /proc/locks says when a process waits for a lock, so nothing sleeps.
#
#   lock_hold          takes the lock on the test shell's fd 9 (processes
#                      started later inherit the fd, not the right to
#                      take the lock again: they open their own)
#   lock_wait [PID]    returns 0 once a process waits for the lock; 1 as
#                      soon as PID, when given, has ended without waiting
#   lock_release       lets the lock go (from a subshell too)

[ -r /proc/locks ] || skip_all "no /proc/locks to see who waits for a lock"

lock_hold() {
	mkdir -p .git/halve
	exec 9>>.git/halve/lock
	flock 9 || bail_out "flock .git/halve/lock failed"
	lock_inode=$(stat -c %i .git/halve/lock)
}

# A waiter's line: "N: -> FLOCK ADVISORY WRITE PID MAJ:MIN:INODE 0 EOF".
lock_waiting() {
	awk -v ino="$lock_inode" '
		$2 == "->" { n = split($7, f, ":"); if (f[n] == ino) w = 1 }
		END { exit !w }' /proc/locks
}

# Is process $1 running (not ended, nor a zombie not yet waited for)?
lock_alive() {
	[ -r "/proc/$1/stat" ] && awk '{ exit $3 == "Z" }' "/proc/$1/stat"
}

lock_wait() {
	while ! lock_waiting; do
		[ -z "${1:-}" ] || lock_alive "$1" || return 1
	done
}

lock_release() {
	flock -u 9
	exec 9>&-
}
