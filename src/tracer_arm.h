/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_ARM_H
#define _TRACER_ARM_H

struct seq_file;
struct tracepoint;

/* The hooks to place and remove; both may sleep. */
struct tracer_arm_ops {
	int (*arm)(void);
	void (*disarm)(void);
};

void tracer_arm_init(const struct tracer_arm_ops *ops);
void tracer_arm_exit(void);
int tracer_arm_get(void);
void tracer_arm_hold(void);
void tracer_arm_put(void);
void tracer_arm_show(struct seq_file *m);
struct tracepoint *tracer_tracepoint(const char *name);

#endif /* _TRACER_ARM_H */
