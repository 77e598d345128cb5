/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_PROC_H
#define _TRACER_PROC_H

int tracer_proc_init(void);
void tracer_proc_exit(void);

#endif /* _TRACER_PROC_H */
