// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/memory_info: a command is written (RESET, ALL, FILTER|name,
 * DEL|name, one per write()), the file then reads its result. The snapshot
 * (tracer_memscan.c) is taken at load and on RESET. The load's is taken by
 * a work item, as a whole-system scan must not hold up module loading
 * (systemd-modules-load kills a modprobe that takes too long); opening the
 * file waits for it, killably, so the first reader reads its result.
 *
 * Commands run one at a time under cmd_lock, which guards the snapshot.
 * Each result is a text built whole, then published under result_lock
 * (held only to swap or take a reference, never across work that sleeps);
 * an open file keeps the result current when it was opened, or that of
 * its own last write if it was opened for reading too, so a reader sees
 * one complete result of any size, never a torn or half-built one, and a
 * program that writes and reads through one file descriptor reads its own
 * command's result whoever writes meanwhile.
 *
 * Root only (0600): it tells which pages of other users' processes hold
 * the same contents. Errors go to the kernel log rate-limited: a script
 * that fails in a loop must not flood it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "tracer_meminfo.h"
#include "tracer_memscan.h"

#define TRACER_PROC_MEMINFO	"memory_info"
/* The longest command: FILTER| and a full task name, then a newline. */
#define CMD_MAX			(sizeof("FILTER|") - 1 + TASK_COMM_LEN - 1 + 1)

struct meminfo_result {
	refcount_t ref;
	size_t len;
	const char *text;
};

static DEFINE_MUTEX(cmd_lock);
/* Under cmd_lock; NULL if the load's scan failed and no RESET worked yet. */
static struct tracer_memsnap *snap;
/* The load's snapshot and its result are there. */
static DECLARE_COMPLETION(first_taken);

static DEFINE_SPINLOCK(result_lock);
static struct meminfo_result *result;	/* under result_lock */

/* An open file: the result it reads. */
struct meminfo_file {
	spinlock_t lock;		/* guards r and rewind: a write swaps r */
	struct meminfo_result *r;
	/*
	 * The next read starts at 0. Set by a write, as a failed write()
	 * cannot move the file position back.
	 */
	bool rewind;
};

/*
 * Results that need no allocation: the error's when even that cannot be
 * allocated, and success's, as a command that changed the snapshot must
 * not then report ENOMEM.
 */
static const char nomem_text[] = "[ERROR]: Memory allocation error\n";
static struct meminfo_result nomem_result = {
	.ref = REFCOUNT_INIT(1),	/* never dropped */
	.len = sizeof(nomem_text) - 1,
	.text = nomem_text,
};

static const char success_text[] = "[SUCCESS]\n";
static struct meminfo_result success_result = {
	.ref = REFCOUNT_INIT(1),	/* never dropped */
	.len = sizeof(success_text) - 1,
	.text = success_text,
};

static struct meminfo_result *result_static(struct meminfo_result *r)
{
	refcount_inc(&r->ref);
	return r;
}

/* The errors commands return, with the seed's messages (glibc's but one). */
static const char *error_message(int err)
{
	switch (err) {
	case -EINVAL:
		return "Invalid argument";
	case -ESRCH:
		return "No such process";
	case -ENOMEM:
		return "Memory allocation error";
	case -EFAULT:
		return "Bad address";
	case -EINTR:
		return "Interrupted system call";
	}
	return "Unknown error";
}

/* A result of len characters, to be written in *text. */
static struct meminfo_result *result_alloc(size_t len, char **text)
{
	struct meminfo_result *r = kmalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	*text = kvmalloc(len + 1, GFP_KERNEL);
	if (!*text) {
		kfree(r);
		return NULL;
	}
	refcount_set(&r->ref, 1);
	r->len = len;
	r->text = *text;
	return r;
}

static void result_put(struct meminfo_result *r)
{
	if (refcount_dec_and_test(&r->ref)) {
		kvfree(r->text);
		kfree(r);
	}
}

/* A reference to *slot's result, taken under lock. */
static struct meminfo_result *result_get(spinlock_t *lock,
					 struct meminfo_result **slot)
{
	struct meminfo_result *r;

	spin_lock(lock);
	r = *slot;
	refcount_inc(&r->ref);
	spin_unlock(lock);
	return r;
}

/* Makes r (whose reference this takes) the result new files read. */
static void result_publish(struct meminfo_result *r)
{
	struct meminfo_result *old;

	spin_lock(&result_lock);
	old = result;
	result = r;
	spin_unlock(&result_lock);
	if (old)
		result_put(old);
}

/* Makes r (with a reference of its own) f's result, read from its start. */
static void file_result_set(struct meminfo_file *f, struct meminfo_result *r)
{
	struct meminfo_result *old;

	refcount_inc(&r->ref);
	spin_lock(&f->lock);
	old = f->r;
	f->r = r;
	f->rewind = true;
	spin_unlock(&f->lock);
	result_put(old);
}

static struct meminfo_result *result_text(const char *text)
{
	size_t len = strlen(text);
	char *buf;
	struct meminfo_result *r = result_alloc(len, &buf);

	if (r)
		memcpy(buf, text, len + 1);
	return r;
}

static struct meminfo_result *result_error(int err)
{
	struct meminfo_result *r;
	char line[64];

	snprintf(line, sizeof(line), "[ERROR]: %s\n", error_message(err));
	pr_err_ratelimited("%s", line);
	r = result_text(line);
	return r ?: result_static(&nomem_result);
}

/*
 * A name may hold any byte but NUL: newline, the separators of the line
 * and the escape itself are written as \ooo (octal), as seq_escape()
 * writes them elsewhere in /proc, so that no process can forge a line or a
 * field by its name.
 */
#define NAME_ESCAPED	"\n,;\\"

/*
 * One line per set; with buf NULL, only its length. Returns the length
 * written (or that would be).
 */
static size_t format_set(char *buf, size_t size,
			 const struct tracer_memset *set)
{
	char name[4 * TASK_COMM_LEN];
	size_t len;
	unsigned int i;
	int n;

	n = string_escape_mem(set->name, strlen(set->name), name,
			      sizeof(name) - 1, ESCAPE_OCTAL, NAME_ESCAPED);
	name[n] = '\0';

#define OUT(...) (len += snprintf(buf ? buf + len : NULL,		\
				  buf ? size - len : 0, __VA_ARGS__))
	len = 0;
	OUT("%s, total: %llu, valid: %llu, invalid: %llu, ", name,
	    set->total, set->valid, set->total - set->valid);
	OUT("may_be_shared: %llu, nb_group: %llu, pid(%u): ", set->shared,
	    set->groups, set->nr_pids);
	for (i = 0; i < set->nr_pids; i++)
		OUT(i ? "; %d" : "%d", set->pids[i]);
	OUT("\n");
#undef OUT
	return len;
}

/* The lines of one set (only) or of every set left. */
static struct meminfo_result *result_sets(const struct tracer_memset *only)
{
	const struct tracer_memset *first = only ?: snap ? snap->sets : NULL;
	unsigned int i, n = only ? 1 : snap ? snap->nr_sets : 0;
	struct meminfo_result *r;
	size_t len = 0, pos = 0;
	char *buf;

	for (i = 0; i < n; i++)
		if (!first[i].deleted)
			len += format_set(NULL, 0, &first[i]);
	r = result_alloc(len, &buf);
	if (!r)
		return NULL;
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if (!first[i].deleted)
			pos += format_set(buf + pos, len + 1 - pos, &first[i]);
	return r;
}

static int cmp_name(const void *key, const void *elt)
{
	const struct tracer_memset *set = elt;

	return strcmp(key, set->name);
}

static struct tracer_memset *find_set(const char *name)
{
	struct tracer_memset *set;

	if (!*name || strlen(name) >= TASK_COMM_LEN)
		return ERR_PTR(-EINVAL);
	if (!snap)
		return ERR_PTR(-ESRCH);
	set = bsearch(name, snap->sets, snap->nr_sets, sizeof(*snap->sets),
		      cmp_name);
	if (!set || set->deleted)
		return ERR_PTR(-ESRCH);
	return set;
}

static int reset(void)
{
	struct tracer_memsnap *next = tracer_memscan();

	if (IS_ERR(next))
		return PTR_ERR(next);
	tracer_memsnap_free(snap);
	snap = next;
	return 0;
}

/* Runs cmd (NUL-terminated, newline removed) under cmd_lock. */
static struct meminfo_result *run(const char *cmd, int *err)
{
	struct tracer_memset *set;
	size_t filter, del;

	if (!strcmp(cmd, "RESET")) {
		*err = reset();
		return *err ? NULL : result_static(&success_result);
	}
	if (!strcmp(cmd, "ALL"))
		return result_sets(NULL);
	filter = str_has_prefix(cmd, "FILTER|");
	del = str_has_prefix(cmd, "DEL|");
	if (!filter && !del) {
		*err = -EINVAL;
		return NULL;
	}
	set = find_set(cmd + filter + del);
	if (IS_ERR(set)) {
		*err = PTR_ERR(set);
		return NULL;
	}
	if (filter)
		return result_sets(set);
	set->deleted = true;
	return result_static(&success_result);
}

static ssize_t meminfo_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct meminfo_file *f = file->private_data;
	struct meminfo_result *r = NULL;
	char cmd[CMD_MAX + 1];
	int err = 0;

	if (count > CMD_MAX)
		err = -EINVAL;
	else if (copy_from_user(cmd, ubuf, count))
		err = -EFAULT;
	else if (memchr(cmd, '\0', count))
		err = -EINVAL;
	if (!err) {
		cmd[count] = '\0';
		if (count && cmd[count - 1] == '\n')
			cmd[count - 1] = '\0';
	}
	if (mutex_lock_killable(&cmd_lock))
		return -EINTR;
	if (!err) {
		r = run(cmd, &err);
		if (!r && !err)
			err = -ENOMEM;
	}
	if (err)
		r = result_error(err);
	/* The writer's own file reads this result, whoever writes next. */
	if (file->f_mode & FMODE_READ)
		file_result_set(f, r);
	result_publish(r);
	mutex_unlock(&cmd_lock);
	return err ?: count;
}

static int meminfo_open(struct inode *inode, struct file *file)
{
	struct meminfo_file *f;
	int err;

	err = wait_for_completion_killable(&first_taken);
	if (err)
		return err;
	f = kmalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	spin_lock_init(&f->lock);
	f->rewind = false;
	f->r = result_get(&result_lock, &result);
	file->private_data = f;
	return 0;
}

static ssize_t meminfo_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct meminfo_file *f = file->private_data;
	struct meminfo_result *r;
	ssize_t ret;

	spin_lock(&f->lock);
	r = f->r;
	refcount_inc(&r->ref);
	if (f->rewind) {
		f->rewind = false;
		*ppos = 0;
	}
	spin_unlock(&f->lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, r->text, r->len);
	result_put(r);
	return ret;
}

static int meminfo_release(struct inode *inode, struct file *file)
{
	struct meminfo_file *f = file->private_data;

	result_put(f->r);
	kfree(f);
	return 0;
}

static const struct proc_ops meminfo_proc_ops = {
	.proc_open = meminfo_open,
	.proc_read = meminfo_read,
	.proc_write = meminfo_write,
	.proc_lseek = default_llseek,
	.proc_release = meminfo_release,
};

/* The load's snapshot; if it fails, the file reads the error. */
static void first_snapshot(struct work_struct *work)
{
	struct meminfo_result *r;
	int err;

	mutex_lock(&cmd_lock);
	err = reset();
	r = err ? NULL : result_text("[SUCCESS]\n");
	if (!r)
		r = result_error(err ?: -ENOMEM);
	result_publish(r);
	mutex_unlock(&cmd_lock);
	complete_all(&first_taken);
}

static DECLARE_WORK(first_work, first_snapshot);

int tracer_meminfo_init(void)
{
	tracer_memscan_init();
	if (!proc_create(TRACER_PROC_MEMINFO, 0600, NULL, &meminfo_proc_ops))
		return -ENOMEM;
	queue_work(system_dfl_wq, &first_work);
	return 0;
}

void tracer_meminfo_exit(void)
{
	/*
	 * Waits for the file's users, those waiting for the load's snapshot
	 * included, and releases its open files; then for the scan, unless it
	 * has not started.
	 */
	remove_proc_entry(TRACER_PROC_MEMINFO, NULL);
	cancel_work_sync(&first_work);
	result_publish(NULL);
	tracer_memsnap_free(snap);
	snap = NULL;
}
