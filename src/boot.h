/*
 * boot.h: one boot of the machine, judged by the verdict rules: qemu on
 * a pty of its own (qemu.h), its console read line by line, a rule that
 * matches deciding and asking qemu to quit, silence and the boot's
 * timeout deciding as [boot] hang says. The pipeline runs one per step,
 * or one per slot ([boot] slots) when repeats of a commit run at once;
 * each has its own qemu, QMP socket and console log.
 */
#ifndef HALVE_BOOT_H
#define HALVE_BOOT_H

#include "conf.h"
#include "loop.h"
#include "rules.h"
#include "verdict.h"

struct hv_boot;

struct hv_boot_ops {
	/* console bytes as they come (serial and monitor) */
	void (*output)(void *arg, struct hv_boot *b, const char *data,
		       size_t len);
	/* qemu is gone: hv_boot_verdict() says what the boot decided */
	void (*exited)(void *arg, struct hv_boot *b);
};

/*
 * Starts qemu as cfg says, in cwd, with env added, its console written
 * to log_path. NULL with err when it cannot start (the qemu line cannot
 * be prepared, the job cannot start).
 */
struct hv_boot *hv_boot_start(struct hv_loop *loop, const struct hv_config *cfg,
			      struct hv_rules *rules, const char *cwd,
			      char **env, const char *log_path,
			      const struct hv_boot_ops *ops, void *arg,
			      struct hv_error *err);
/* Kills qemu if it still runs (without calling exited) and frees. */
void hv_boot_free(struct hv_boot *b);

/*
 * What the boot decided, once exited: 1 with v filled (a rule, silence,
 * the timeout; an abort when qemu never ran the machine); 0 when the
 * guest stopped with nothing decided. v's boot_ms is set either way.
 */
int hv_boot_verdict(struct hv_boot *b, struct hv_verdict *v);

int hv_boot_running(const struct hv_boot *b);
/* Keys for the guest, and the console's size. */
int hv_boot_write(struct hv_boot *b, const void *data, size_t len);
void hv_boot_resize(struct hv_boot *b, int rows, int cols);

/*
 * The file the machine needs that the build should have made (-kernel,
 * -initrd), missing under cwd: malloc'd, or NULL when none is.
 */
char *hv_boot_missing_file(const struct hv_config *cfg, const char *cwd);

#endif
