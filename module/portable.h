/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files that include only this header (and the uapi one) build unchanged in
 * the module, in tcpsessctl and in the userspace unit tests and fuzzers.
 */
#ifndef _TCPSESS_PORTABLE_H
#define _TCPSESS_PORTABLE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/string.h>
#else
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Userspace runs the state machine on one thread: nobody reads it meanwhile. */
#ifndef WRITE_ONCE
#define WRITE_ONCE(x, val) ((x) = (val))
#endif

/* The kernel's pseudo keyword: this case goes on into the next on purpose. */
#ifndef fallthrough
#define fallthrough __attribute__((__fallthrough__))
#endif

/* As the kernel's: the message is optional, on every compiler. */
#undef static_assert
#define static_assert(expr, ...) __tcpsess_static_assert(expr, ##__VA_ARGS__, #expr)
#define __tcpsess_static_assert(expr, msg, ...) _Static_assert(expr, msg)
#endif

#endif /* _TCPSESS_PORTABLE_H */
