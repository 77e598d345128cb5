/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The numbers of a /proc/tracer_forks record, for people. Each writes a
 * NUL-terminated text of at most @size bytes into @buf and returns @buf.
 */
#ifndef TRACER_FORKS_DECODE_H
#define TRACER_FORKS_DECODE_H

#include <stddef.h>
#include <stdint.h>

/* "CLONE_VM|CLONE_VFORK", unknown bits as a trailing "0x...", or "0". */
char *forks_flags(uint64_t flags, char *buf, size_t size);
/* "SIGCHLD", "SIGRTMIN+3", "0" (none) or the number. */
char *forks_signal(int sig, char *buf, size_t size);
/* The user's name from the system's user database, or the number. */
char *forks_user(uint32_t uid, char *buf, size_t size);
/* A new PID as is; an error as "EAGAIN" (or "E123" if unknown). */
char *forks_result(int ret, char *buf, size_t size);
/* The error's message, "" for a PID. */
const char *forks_message(int ret);
/* Local time, "2024-09-22 13:45:07.123456". */
char *forks_time(uint64_t ns, char *buf, size_t size);

#endif
