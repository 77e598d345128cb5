// SPDX-License-Identifier: GPL-2.0
/*
 * The fork watcher: every process creation that goes through kernel_clone()
 * (fork, vfork, clone, clone3, kernel threads), failed ones included, kept
 * in a ring of the last fork_records creations and shown in
 * /proc/tracer_forks. It is armed from load to unload, whoever is
 * registered: a kretprobe, as only the return tells the new PID or the
 * error.
 *
 * The ring: a creation takes the next sequence number from an atomic
 * counter, then writes slot seq % size under that slot's own lock. Two
 * creations meet on a slot only when the ring wraps around during a write;
 * the older one then finds the newer one's record and drops its own (it
 * counts as overwritten). A reader copies one record at a time under the
 * slot lock, so producers never wait for a reader longer than one copy.
 *
 * /proc/tracer_forks: position 0 is a header line; position N > 0 is the
 * record with sequence number N. Reading does not consume. lseek(fd, N,
 * SEEK_SET) makes the next read start at record N (or the oldest kept, if
 * N was overwritten), lseek(fd, 0, SEEK_CUR) tells the record the next
 * read continues or starts, and a read after end of file returns the
 * records made since, each once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uidgid.h>

#include "tracer_forks.h"

#define TRACER_PROC_FORKS	"tracer_forks"
#define FORK_RECORDS_MAX	BIT(20)

static unsigned int fork_records = 4096;
module_param(fork_records, uint, 0444);
MODULE_PARM_DESC(fork_records,
		 "process creations kept in /proc/tracer_forks (rounded up to a power of two, 2..1048576)");

/* A vfork() parent holds its instance until the child execs or exits. */
static int fork_maxactive = 1024;
module_param(fork_maxactive, int, 0444);
MODULE_PARM_DESC(fork_maxactive,
		 "process creations in progress at once that can be recorded (more are counted as missed; <= 0: the kernel's default)");

struct fork_record {
	u64 seq;		/* 0: never written */
	u64 time_ns;		/* CLOCK_REALTIME when kernel_clone() was entered */
	u64 flags;
	int exit_signal;
	int ret;		/* new PID in the caller's namespace, or -errno */
	kuid_t uid;		/* the caller's real UID */
	pid_t pid, tgid;	/* the caller's, in its own PID namespace */
	unsigned int pid_ns;	/* inode number of the caller's PID namespace */
	unsigned int child_ns;	/* and the child's; 0 on failure */
	char comm[TASK_COMM_LEN];
};

struct fork_slot {
	raw_spinlock_t lock;
	struct fork_record rec;
};

/*
 * The module's ring is the one instance; the KUnit tests make their own.
 * Its functions are given its constant address, so the probe reads its
 * fields as plain globals.
 */
struct fork_ring {
	struct fork_slot *slots;
	u64 mask;
	atomic64_t last;	/* the last sequence number taken */
};

static struct fork_ring forks = { .last = ATOMIC64_INIT(0) };

/* What kernel_clone() was asked for, kept from entry to return. */
struct fork_entry {
	u64 time_ns;
	u64 flags;
	int exit_signal;
};

static int fork_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct kernel_clone_args *args =
		(const void *)regs_get_kernel_argument(regs, 0);
	struct fork_entry *e = (struct fork_entry *)ri->data;

	e->time_ns = ktime_get_real_ns();
	e->flags = args->flags;
	e->exit_signal = args->exit_signal;
	return 0;
}

/*
 * The new process is in the namespace the caller's children go to, or,
 * with CLONE_NEWPID, in one of its own: read from its PID, which exists
 * until it is reaped.
 */
static unsigned int child_pid_ns(u64 flags, int ret)
{
	struct pid *pid;
	unsigned int inum = 0;

	if (ret <= 0)
		return 0;
	if (!(flags & CLONE_NEWPID))
		return current->nsproxy->pid_ns_for_children->ns.inum;
	rcu_read_lock();
	pid = find_vpid(ret);
	if (pid)
		inum = ns_of_pid(pid)->ns.inum;
	rcu_read_unlock();
	return inum;
}

/* Writes record @seq, made by current, unless a newer one has its slot. */
static __always_inline void fork_write(struct fork_ring *fr, u64 seq,
				       const struct fork_entry *e, int ret)
{
	struct fork_slot *slot = &fr->slots[seq & fr->mask];
	struct fork_record *r = &slot->rec;

	raw_spin_lock(&slot->lock);
	if (r->seq < seq) {
		r->seq = seq;
		r->time_ns = e->time_ns;
		r->flags = e->flags;
		r->exit_signal = e->exit_signal;
		r->ret = ret;
		r->uid = current_uid();
		r->pid = task_pid_vnr(current);
		r->tgid = task_tgid_vnr(current);
		r->pid_ns = task_active_pid_ns(current)->ns.inum;
		r->child_ns = child_pid_ns(e->flags, ret);
		/* As trace events do: no task_lock() under a raw lock. */
		memcpy(r->comm, current->comm, sizeof(r->comm));
	}
	raw_spin_unlock(&slot->lock);
}

static int fork_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	fork_write(&forks, atomic64_inc_return(&forks.last),
		   (const struct fork_entry *)ri->data,
		   regs_return_value(regs));
	return 0;
}

static struct kretprobe fork_probe = {
	.kp.symbol_name = "kernel_clone",
	.entry_handler = fork_entry,
	.handler = fork_return,
	.data_size = sizeof(struct fork_entry),
};

static u64 fork_overwritten(const struct fork_ring *fr, u64 last)
{
	return last > fr->mask + 1 ? last - (fr->mask + 1) : 0;
}

/* Creations not recorded: no free kretprobe instance, or a probe running. */
static unsigned long fork_missed(void)
{
	return (unsigned long)READ_ONCE(fork_probe.nmissed) +
	       READ_ONCE(fork_probe.kp.nmissed);
}

/*
 * Copies record *pos, or the oldest one kept after it, into @out and moves
 * *pos there. NULL at the end, or at a record still being written: a later
 * read resumes there, so no record is skipped.
 */
static struct fork_record *fork_copy(struct fork_ring *fr, loff_t *pos,
				     struct fork_record *out)
{
	u64 seq = *pos, last, kept;
	struct fork_slot *slot;

	for (;;) {
		last = atomic64_read(&fr->last);
		kept = fork_overwritten(fr, last) + 1;
		seq = max(seq, kept);
		if (seq > last)
			break;
		slot = &fr->slots[seq & fr->mask];
		raw_spin_lock(&slot->lock);
		*out = slot->rec;
		raw_spin_unlock(&slot->lock);
		if (out->seq < seq)
			break;
		if (out->seq == seq) {
			*pos = seq;
			return out;
		}
		/* Overwritten since we looked at fr->last. */
	}
	*pos = seq;
	return NULL;
}

static void *forks_start(struct seq_file *m, loff_t *pos)
{
	return *pos ? fork_copy(&forks, pos, m->private) : SEQ_START_TOKEN;
}

static void *forks_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return fork_copy(&forks, pos, m->private);
}

static void forks_stop(struct seq_file *m, void *v)
{
}

static int forks_show(struct seq_file *m, void *v)
{
	const struct fork_record *r = v;
	u64 last;

	if (v == SEQ_START_TOKEN) {
		last = atomic64_read(&forks.last);
		seq_printf(m, "# size %llu last %llu overwritten %llu missed %lu\n",
			   forks.mask + 1, last, fork_overwritten(&forks, last),
			   fork_missed());
		return 0;
	}
	seq_printf(m, "%llu %llu 0x%llx %d %u %d %d %d %u %u ",
		   r->seq, r->time_ns, r->flags, r->exit_signal,
		   from_kuid_munged(seq_user_ns(m), r->uid), r->pid, r->tgid,
		   r->ret, r->pid_ns, r->child_ns);
	/* A command name may hold any byte but NUL: one line, one field. */
	seq_escape(m, r->comm, " \t\n\\");
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations forks_seq_ops = {
	.start = forks_start,
	.next = forks_next,
	.stop = forks_stop,
	.show = forks_show,
};

static int forks_open(struct inode *inode, struct file *file)
{
	return seq_open_private(file, &forks_seq_ops, sizeof(struct fork_record));
}

/*
 * The position of the record the next read() continues or starts. The
 * file position counts bytes (seq_read_iter() adds what it copied), so
 * this is found in the seq_file: after a short read the rest of a record
 * is still in its buffer, on a line that begins with the record's
 * sequence number (the header's, "#", is at 0); else the iterator's next.
 * Caller holds m->lock.
 */
static loff_t forks_tell(const struct seq_file *m)
{
	const char *p = m->buf + m->from;
	loff_t seq = 0;

	if (!m->count)
		return m->index;
	while (p > m->buf && p[-1] != '\n')
		p--;
	while (isdigit(*p))
		seq = seq * 10 + *p++ - '0';
	return seq;
}

/* A position is a sequence number, not a byte offset (see the top). */
static loff_t forks_lseek(struct file *file, loff_t offset, int whence)
{
	struct seq_file *m = file->private_data;

	mutex_lock(&m->lock);
	/* Asking where one is (stdio, Python) is no move. */
	if (whence == SEEK_CUR && !offset) {
		offset = forks_tell(m);
		goto out;
	}
	if (whence != SEEK_SET || offset < 0) {
		offset = -EINVAL;
		goto out;
	}
	m->index = offset;
	m->count = 0;
	m->from = 0;
	m->read_pos = offset;
	file->f_pos = offset;
out:
	mutex_unlock(&m->lock);
	return offset;
}

static const struct proc_ops forks_proc_ops = {
	.proc_open = forks_open,
	.proc_read_iter = seq_read_iter,
	.proc_lseek = forks_lseek,
	.proc_release = seq_release_private,
};

void tracer_forks_show(struct seq_file *m)
{
	u64 last = atomic64_read(&forks.last);

	seq_printf(m, "forks: size %llu last %llu overwritten %llu missed %lu maxactive %d\n",
		   forks.mask + 1, last, fork_overwritten(&forks, last), fork_missed(),
		   fork_probe.maxactive);
}

/* A ring of @records slots (a power of two), empty. */
static int fork_ring_init(struct fork_ring *fr, unsigned int records)
{
	unsigned int i;

	fr->slots = kvcalloc(records, sizeof(*fr->slots), GFP_KERNEL);
	if (!fr->slots)
		return -ENOMEM;
	for (i = 0; i < records; i++)
		raw_spin_lock_init(&fr->slots[i].lock);
	fr->mask = records - 1;
	atomic64_set(&fr->last, 0);
	return 0;
}

int tracer_forks_init(void)
{
	int err;

	if (fork_records < 2 || fork_records > FORK_RECORDS_MAX) {
		pr_err("fork_records must be 2..%lu\n", FORK_RECORDS_MAX);
		return -EINVAL;
	}
	err = fork_ring_init(&forks, roundup_pow_of_two(fork_records));
	if (err)
		return err;

	fork_probe.maxactive = fork_maxactive;
	err = register_kretprobe(&fork_probe);
	if (err) {
		pr_err("cannot probe kernel_clone: %d\n", err);
		goto out_ring;
	}
	if (!proc_create(TRACER_PROC_FORKS, 0400, NULL, &forks_proc_ops)) {
		err = -ENOMEM;
		goto out_probe;
	}
	return 0;

out_probe:
	unregister_kretprobe(&fork_probe);
out_ring:
	kvfree(forks.slots);
	return err;
}

void tracer_forks_exit(void)
{
	remove_proc_entry(TRACER_PROC_FORKS, NULL);
	/* Waits for running handlers; instances still out never call them. */
	unregister_kretprobe(&fork_probe);
	kvfree(forks.slots);
}

#ifdef TRACER_KUNIT
#include "tests/tracer_forks_kunit.c"
#endif
