/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_H
#define _TRACER_H

#define TRACER_VERSION "0.1.0"

#endif /* _TRACER_H */
