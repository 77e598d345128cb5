// SPDX-License-Identifier: GPL-2.0
/*
 * Who may register, remove and see which process.
 *
 * Opening /dev/tracer is what the device node's owner, group and mode
 * allow (root only by default; the packages give a "tracer" group
 * read-write access). Beyond that, a caller may act on a process or
 * thread only if it could inspect it with ptrace in
 * PTRACE_MODE_READ_REALCREDS mode, as /proc/PID/stat does: it is in the
 * caller's own thread group, or its real, effective and saved user and
 * group IDs all equal the caller's real ones and it has not changed its
 * credentials (dumpable), or the caller has CAP_SYS_PTRACE over it. Group
 * membership of the device thus never opens other users' processes.
 *
 * ptrace_may_access() is not exported to modules: the rules above are its
 * credential checks, without the LSM hook (Yama, SELinux...) it adds.
 *
 * What a descriptor shows (the rows of /proc/tracer, the counts in a
 * monitor's exit records) goes by the same rules with the credentials of
 * whoever opened it, not of whoever reads it: passed to or inherited by a
 * set-user-ID program, it shows no more than its opener may see. The
 * kernel's capability check of given credentials (security_capable()) is
 * not exported either: there the capability is the credentials' own, by
 * commoncap's rule, without LSMs, and no process counts as the opener's
 * own (credentials are all there is to go by).
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/user_namespace.h>
#ifdef TRACER_HAVE_TASK_EXEC_STATE
#include <linux/sched/exec_state.h>
#endif

#include "compat.h"
#include "tracer_perm.h"

/*
 * Whether @cred holds CAP_SYS_PTRACE over @ns by commoncap's rule
 * (cap_capable()): in its effective set in its own namespace; every
 * capability as the owner of a child of its namespace; and over the
 * descendants of a namespace where it holds it.
 */
static bool cred_has_ptrace_cap(const struct cred *cred,
				struct user_namespace *ns)
{
	for (;;) {
		if (ns == cred->user_ns)
			return cap_raised(cred->cap_effective, CAP_SYS_PTRACE);
		if (ns->level <= cred->user_ns->level)
			return false;
		if (ns->parent == cred->user_ns && uid_eq(ns->owner, cred->euid))
			return true;
		ns = ns->parent;
	}
}

/*
 * Current's (@cred NULL) through the kernel's check, LSMs included, and
 * logged; other credentials by their own capabilities, unlogged.
 */
static bool has_ptrace_cap(const struct cred *cred, struct user_namespace *ns)
{
	if (cred)
		return cred_has_ptrace_cap(cred, ns);
	return ns_capable(ns, CAP_SYS_PTRACE);
}

#ifdef TRACER_HAVE_TASK_EXEC_STATE
/*
 * Whether @task's memory is open to its owner, or the caller has
 * CAP_SYS_PTRACE in the namespace it is judged in. Since 7.x both are in
 * the task's exec state, replaced whole under RCU at execve (its accessors
 * are not exported).
 */
static bool dumpable_or_capable(const struct cred *cred,
				struct task_struct *task)
{
	const struct task_exec_state *es;
	bool ok;

	rcu_read_lock();
	es = rcu_dereference(task->exec_state);
	ok = READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER ||
	     has_ptrace_cap(cred, es->user_ns);
	rcu_read_unlock();
	return ok;
}
#else
/* Before 7.x they are the mm's; a task without one (exiting) is open. */
static bool dumpable_or_capable(const struct cred *cred,
				struct task_struct *task)
{
	struct mm_struct *mm;
	bool ok = true;

	task_lock(task);
	mm = task->mm;
	if (mm && get_dumpable(mm) != SUID_DUMP_USER)
		ok = has_ptrace_cap(cred, mm->user_ns);
	task_unlock(task);
	return ok;
}
#endif

/*
 * The rules above, the caller's own thread group aside, for @cred
 * (current's if NULL).
 * Caller holds rcu_read_lock() or a reference on @task; may hold
 * spinlocks.
 */
static bool may_inspect(const struct cred *cred, struct task_struct *task)
{
	const struct cred *caller = cred ?: current_cred(), *tcred;
	bool ok;

	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(caller->uid, tcred->euid) &&
	      uid_eq(caller->uid, tcred->suid) &&
	      uid_eq(caller->uid, tcred->uid) &&
	      gid_eq(caller->gid, tcred->egid) &&
	      gid_eq(caller->gid, tcred->sgid) &&
	      gid_eq(caller->gid, tcred->gid)) ||
	     has_ptrace_cap(cred, tcred->user_ns);
	rcu_read_unlock();
	if (!ok)
		return false;

	/*
	 * commit_creds() makes a task that changes its credentials
	 * (setresuid()) undumpable, then smp_wmb(), then publishes them:
	 * read after its credentials, as __ptrace_may_access() reads it, the
	 * dumpability is the one that goes with them, never an older one
	 * that would still open a task that dropped its privileges.
	 */
	smp_rmb();
	/* A set-user-ID program keeps its memory from its invoker. */
	return dumpable_or_capable(cred, task);
}

/*
 * Whether the current task may inspect @task, for one of its requests
 * (using CAP_SYS_PTRACE is logged). Caller holds
 * rcu_read_lock() or a reference on @task; may hold spinlocks.
 */
bool tracer_may_inspect(struct task_struct *task)
{
	return same_thread_group(task, current) || may_inspect(NULL, task);
}

/*
 * Whether the opener of a descriptor, of credentials @cred (its f_cred),
 * may see @task's counts through it: its rows in /proc/tracer, the counts
 * in a monitor's exit records. Caller holds rcu_read_lock() or a reference
 * on @task; may hold spinlocks.
 */
bool tracer_may_read_counts(const struct cred *cred, struct task_struct *task)
{
	return may_inspect(cred, task);
}

/*
 * Whether the current task (@cred NULL), or the opener of a descriptor of
 * credentials @cred, may count (see) a cgroup whose directory @owner owns.
 * A cgroup counts processes that come and go: only who could register
 * every process it may ever hold may register it, the owner of a
 * delegated subtree (whose processes are its own, set-user-ID programs
 * aside, which the uapi header says) or a holder of CAP_SYS_PTRACE in the
 * initial user namespace, over every process.
 */
bool tracer_may_count_cgroup(const struct cred *cred, kuid_t owner)
{
	const struct cred *caller = cred ?: current_cred();

	return uid_eq(caller->uid, owner) ||
	       has_ptrace_cap(cred, &init_user_ns);
}
