/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything that differs between the kernels tracer builds for, in one
 * place. TRACER_HAVE_* come from the build-time probes in Kbuild, which
 * look at the headers the module is built against: distribution kernels
 * backport, so LINUX_VERSION_CODE is not trusted.
 */
#ifndef _TRACER_COMPAT_H
#define _TRACER_COMPAT_H

/* With lock debugging, mutex_lock() is a macro for mutex_lock_nested(). */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
#define TRACER_SYM_MUTEX_LOCK "mutex_lock_nested"
#else
#define TRACER_SYM_MUTEX_LOCK "mutex_lock"
#endif

/*
 * Out-of-line kmalloc entry points that can be handed a size of 0: they
 * return ZERO_SIZE_PTR before the kmalloc tracepoint fires. Allocation
 * profiling (6.10) renamed them.
 */
#ifdef TRACER_HAVE_KMALLOC_NOPROF
#define TRACER_SYM_KMALLOC		"__kmalloc_noprof"
#define TRACER_SYM_KMALLOC_NODE		"__kmalloc_node_noprof"
#define TRACER_SYM_KMALLOC_CALLER	"__kmalloc_node_track_caller_noprof"
#else
#define TRACER_SYM_KMALLOC		"__kmalloc"
#define TRACER_SYM_KMALLOC_NODE		"__kmalloc_node"
#define TRACER_SYM_KMALLOC_CALLER	"__kmalloc_node_track_caller"
#endif

/*
 * Since 6.1 the kmalloc event covers every variant and carries the node;
 * before, kmalloc_node was a separate event and kmalloc had no node.
 */
#ifdef TRACER_HAVE_KMALLOC_TP_NODE
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

#endif /* _TRACER_COMPAT_H */
