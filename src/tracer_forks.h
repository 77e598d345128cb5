/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_FORKS_H
#define _TRACER_FORKS_H

struct seq_file;

int tracer_forks_init(void);
void tracer_forks_exit(void);
void tracer_forks_show(struct seq_file *m);

#endif /* _TRACER_FORKS_H */
