/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything that differs between the kernels tracer builds for, in one
 * place. TRACER_HAVE_<FEATURE> is defined when compat/<feature>.c compiles
 * against the kernel the module is built for (compat.mk): distribution
 * kernels backport, so LINUX_VERSION_CODE is not trusted. Each branch
 * below is written so that a wrong answer fails the build (a hook of the
 * wrong type, a name that is not declared) rather than run.
 */
#ifndef _TRACER_COMPAT_H
#define _TRACER_COMPAT_H

/*
 * The counted functions, as the kernel declares them: tracer hooks their
 * addresses, and a name that is not declared fails the build, not the
 * load. The bench modules' kprobes take their names, TRACER_SYM(fn).
 */
#define TRACER_SYM(fn) (sizeof(typeof(fn) *) ? __stringify(fn) : NULL)

/* With lock debugging, mutex_lock() is a macro for mutex_lock_nested(). */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
#define TRACER_FN_MUTEX_LOCK	mutex_lock_nested
#else
#define TRACER_FN_MUTEX_LOCK	mutex_lock
#endif

/*
 * Out-of-line kmalloc entry points that can be handed a size of 0: they
 * return ZERO_SIZE_PTR before the kmalloc tracepoint fires. Allocation
 * profiling (6.10) renamed them; before 6.1 kmalloc_track_caller() had an
 * entry point of its own.
 */
#ifdef TRACER_HAVE_KMALLOC_NOPROF
#define TRACER_FN_KMALLOC	__kmalloc_noprof
#define TRACER_FN_KMALLOC_NODE	__kmalloc_node_noprof
#define TRACER_FN_KMALLOC_CALLER __kmalloc_node_track_caller_noprof
#else
#define TRACER_FN_KMALLOC	__kmalloc
#define TRACER_FN_KMALLOC_NODE	__kmalloc_node
#define TRACER_FN_KMALLOC_CALLER __kmalloc_node_track_caller
#endif
#ifdef TRACER_HAVE_KMALLOC_TRACK_CALLER
#define TRACER_FN_KMALLOC_CALLER_OLD __kmalloc_track_caller
#endif

/*
 * Since 6.1 the kmalloc event covers every variant and carries the node;
 * before, kmalloc_node was a separate event and kmalloc had no node.
 */
#ifdef TRACER_HAVE_KMALLOC_EVENT_NODE
#define TRACER_KMALLOC_TP_ARGS						\
	unsigned long call_site, const void *ptr, size_t bytes_req,	\
	size_t bytes_alloc, gfp_t gfp_flags, int node
#else
#define TRACER_KMALLOC_TP_ARGS						\
	unsigned long call_site, const void *ptr, size_t bytes_req,	\
	size_t bytes_alloc, gfp_t gfp_flags
#define TRACER_HAVE_KMALLOC_NODE_TP
#endif

/*
 * Pages of another address space, its mmap lock held, never dropped: 6.5
 * removed the vmas argument of get_user_pages_remote() (and added
 * get_user_page_vma_remote(), which the build probe looks for).
 */
#ifdef TRACER_HAVE_GUP_NO_VMAS
#define tracer_gup_remote(mm, start, nr, flags, pages)			\
	get_user_pages_remote(mm, start, nr, flags, pages, NULL)
#else
#define tracer_gup_remote(mm, start, nr, flags, pages)			\
	get_user_pages_remote(mm, start, nr, flags, pages, NULL, NULL)
#endif

/*
 * 6.16: sched_process_exit(p, group_dead), and it fires before exit_mm()
 * instead of after: what a process frees with its address space is not
 * counted in its row there (docs/ARCHITECTURE.md).
 */
#ifdef TRACER_HAVE_EXIT_EVENT_GROUP_DEAD
#define TRACER_EXIT_TP_ARGS struct task_struct *task, bool group_dead
#else
#define TRACER_EXIT_TP_ARGS struct task_struct *task
#endif

/* 6.17 deprecated system_wq for system_dfl_wq (backported to some 6.12). */
#ifndef TRACER_HAVE_SYSTEM_DFL_WQ
#define system_dfl_wq system_unbound_wq
#endif

/*
 * 5.11: kmap_local_page(). kmap_atomic() before it also disables
 * preemption, which costs nothing where it is used (no sleeping inside).
 */
#ifndef TRACER_HAVE_KMAP_LOCAL
#define kmap_local_page(page) kmap_atomic(page)
#define kunmap_local(addr) kunmap_atomic(addr)
#endif

/*
 * 6.1 keeps VMAs in a maple tree; a list before. The list is read when
 * the loop starts, so the iterator may be declared before the mmap lock is
 * taken, as VMA_ITERATOR may.
 */
#ifndef TRACER_HAVE_VMA_ITERATOR
struct vma_iterator {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
};

static inline struct vm_area_struct *tracer_vma_next(struct vma_iterator *vmi)
{
	vmi->vma = vmi->vma ? vmi->vma->vm_next : vmi->mm->mmap;
	return vmi->vma;
}

#define VMA_ITERATOR(name, mm_, addr) struct vma_iterator name = { .mm = (mm_) }
#define for_each_vma(vmi, vma) for (; ((vma) = tracer_vma_next(&(vmi))); )
#endif

/*
 * Entry hooks through ftrace (tracer_probes.c). 5.11 handed callbacks the
 * ftrace_regs of the arguments instead of pt_regs (NULL then, unless the
 * ops saves them all), and made a callback that handles recursion itself
 * the default, where 5.10 asks for FTRACE_OPS_FL_RECURSION_SAFE.
 */
#ifdef TRACER_HAVE_FTRACE_REGS
#define tracer_ftrace_regs ftrace_regs
#define tracer_ftrace_pt_regs(fregs) ftrace_get_regs(fregs)
#else
#define tracer_ftrace_regs pt_regs
#define tracer_ftrace_pt_regs(regs) (regs)
#endif

#ifdef TRACER_HAVE_FTRACE_RECURSION_SAFE
#define TRACER_FTRACE_FLAGS FTRACE_OPS_FL_RECURSION_SAFE
#else
#define TRACER_FTRACE_FLAGS 0
#endif

/*
 * An argument without saving every register: where the architecture's
 * ftrace saves the argument registers (DYNAMIC_FTRACE_WITH_ARGS), through
 * the accessor (6.12 has it) or, before it, the pt_regs they are saved in
 * (6.1 on x86), as the accessor reads them. Elsewhere the ops saves all
 * registers, which needs DYNAMIC_FTRACE_WITH_REGS, or the hook is a
 * kprobe (tracer_ftrace_can()).
 */
#if defined(TRACER_HAVE_FTRACE_REGS_GET_ARGUMENT) && \
	defined(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS)
#define TRACER_FTRACE_ARG_FLAGS 0
#define tracer_ftrace_arg0(fregs) ftrace_regs_get_argument(fregs, 0)
#elif defined(TRACER_HAVE_FTRACE_REGS_PT_REGS) && \
	defined(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS)
#define TRACER_FTRACE_ARG_FLAGS 0
#define tracer_ftrace_arg0(fregs) regs_get_kernel_argument(&(fregs)->regs, 0)
#else
#define TRACER_FTRACE_ARG_FLAGS FTRACE_OPS_FL_SAVE_REGS
#define tracer_ftrace_arg0(fregs) \
	regs_get_kernel_argument(tracer_ftrace_pt_regs(fregs), 0)
#endif

#define tracer_ftrace_can(flags) \
	(!((flags) & FTRACE_OPS_FL_SAVE_REGS) || \
	 IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_REGS))

#endif /* _TRACER_COMPAT_H */
