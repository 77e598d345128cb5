/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_PROBES_H
#define _TRACER_PROBES_H

struct seq_file;

int tracer_probes_init(void);
void tracer_probes_exit(void);
void tracer_probes_show(struct seq_file *m);

#endif /* _TRACER_PROBES_H */
