/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_DEV_H
#define _TRACER_DEV_H

int tracer_dev_init(void);
void tracer_dev_exit(void);

#endif /* _TRACER_DEV_H */
