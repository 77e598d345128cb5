/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_MEMINFO_H
#define _TRACER_MEMINFO_H

int tracer_meminfo_init(void);
void tracer_meminfo_exit(void);

#endif /* _TRACER_MEMINFO_H */
