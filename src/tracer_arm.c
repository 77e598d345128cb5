// SPDX-License-Identifier: GPL-2.0
/*
 * Arming the counting hooks, a service of the rows: nothing is armed while
 * nothing is registered. The first registration arms every hook, and a
 * second after the last one went away a work item disarms them (rows also
 * go away in the exit hook, which cannot sleep). The delay keeps a tool
 * that registers and removes in a loop from making the kernel rewrite its
 * code each time.
 *
 * What is armed is tracer_probes.c's, handed over at load as two
 * functions: the rows that use this service are what those hooks look up,
 * and this file calls neither.
 *
 * Also here: finding a kernel tracepoint by name, for every file that
 * hooks one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "tracer_arm.h"

enum arm_state { DISARMED, CHANGING, ARMED };

static const struct tracer_arm_ops *arm_ops;
static DEFINE_SPINLOCK(arm_lock);
static unsigned long arm_users;
static enum arm_state arm_state = DISARMED;
static int arm_error;
static bool arm_dying;

/* Brings the hooks in line with arm_users; reruns if they changed meanwhile. */
static void arm_work_fn(struct work_struct *work)
{
	bool want, armed;
	int err;

	for (;;) {
		spin_lock(&arm_lock);
		want = arm_users > 0;
		armed = arm_state == ARMED;
		if (arm_dying || want == armed) {
			spin_unlock(&arm_lock);
			return;
		}
		arm_state = CHANGING;
		spin_unlock(&arm_lock);

		err = 0;
		if (want)
			err = arm_ops->arm();
		else
			arm_ops->disarm();

		spin_lock(&arm_lock);
		arm_state = want && !err ? ARMED : DISARMED;
		arm_error = err;
		spin_unlock(&arm_lock);
		if (err)
			return;
	}
}

static DECLARE_DELAYED_WORK(arm_work, arm_work_fn);

/* A registration is about to be made: have every hook armed. May sleep. */
int tracer_arm_get(void)
{
	bool armed;
	int err = 0;

	spin_lock(&arm_lock);
	arm_users++;
	armed = arm_state == ARMED;
	spin_unlock(&arm_lock);
	if (armed)
		return 0;

	mod_delayed_work(system_dfl_wq, &arm_work, 0);
	flush_delayed_work(&arm_work);
	spin_lock(&arm_lock);
	if (arm_state != ARMED)
		err = arm_error ?: -ENODEV;
	spin_unlock(&arm_lock);
	if (err)
		tracer_arm_put();
	return err;
}

/* A row is added while another keeps the hooks armed. Any context. */
void tracer_arm_hold(void)
{
	spin_lock(&arm_lock);
	arm_users++;
	spin_unlock(&arm_lock);
}

/* A registration went away. Any context. */
void tracer_arm_put(void)
{
	bool idle;

	spin_lock(&arm_lock);
	idle = !--arm_users;
	spin_unlock(&arm_lock);
	if (idle)
		queue_delayed_work(system_dfl_wq, &arm_work, HZ);
}

void tracer_arm_show(struct seq_file *m)
{
	seq_printf(m, "armed: %s\n",
		   READ_ONCE(arm_state) == ARMED ? "yes" : "no");
}

void tracer_arm_init(const struct tracer_arm_ops *ops)
{
	arm_ops = ops;
}

/* Unload: the device and proc files are gone, no registration comes. */
void tracer_arm_exit(void)
{
	spin_lock(&arm_lock);
	arm_dying = true;
	spin_unlock(&arm_lock);
	cancel_delayed_work_sync(&arm_work);
	if (arm_state == ARMED)
		arm_ops->disarm();
	/* An exit hook may have queued it again before it was disarmed. */
	cancel_delayed_work_sync(&arm_work);
}

struct tp_search {
	const char *name;
	struct tracepoint *tp;
};

static void tp_lookup(struct tracepoint *tp, void *priv)
{
	struct tp_search *s = priv;

	if (!strcmp(tp->name, s->name))
		s->tp = tp;
}

/* A kernel tracepoint by name, exported or not; NULL if there is none. */
struct tracepoint *tracer_tracepoint(const char *name)
{
	struct tp_search s = { .name = name };

	for_each_kernel_tracepoint(tp_lookup, &s);
	if (!s.tp)
		pr_err("tracepoint %s not found\n", name);
	return s.tp;
}
