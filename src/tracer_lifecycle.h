/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_LIFECYCLE_H
#define _TRACER_LIFECYCLE_H

struct seq_file;

int tracer_lifecycle_init(void);
void tracer_lifecycle_exit(void);
void tracer_lifecycle_show(struct seq_file *m);

#endif /* _TRACER_LIFECYCLE_H */
