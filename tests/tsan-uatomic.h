/* tsan-uatomic.h - force-included (-include) by tests/test_tsan.sh only:
 * liburcu's atomics restated with compiler builtins ThreadSanitizer sees.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * liburcu 0.13 (Debian 12) implements uatomic_read/uatomic_set as volatile
 * accesses and the read-modify-writes as lock-prefixed inline asm: TSan
 * reports every flag handoff between the ping-pong threads as a data race
 * and cannot see the asm at all. On x86, which the probes target, a plain
 * aligned load is an acquire and a store a release (TSO), so acquire/release
 * builtins model what the real build does; the read-modify-writes are full
 * barriers there, as seq_cst here. What this cannot check: a compiler
 * barrier missing between a plain access and a uatomic one (TSan sees
 * program order, not the compiler's reordering). */
#ifndef VTC_TSAN_UATOMIC_H
#define VTC_TSAN_UATOMIC_H

/* The build's feature macros first (_GNU_SOURCE): the system headers that
 * urcu pulls in are then declared as every file of the build expects. The
 * configure tests run before config.h exists. */
#if __has_include("config.h")
#include "config.h"
#endif
#include <urcu/uatomic.h>

#undef uatomic_read
#undef uatomic_set
#undef uatomic_inc
#undef uatomic_add_return
#define uatomic_read(addr) __atomic_load_n((addr), __ATOMIC_ACQUIRE)
#define uatomic_set(addr, v) __atomic_store_n((addr), (v), __ATOMIC_RELEASE)
#define uatomic_inc(addr) ((void)__atomic_fetch_add((addr), 1, __ATOMIC_SEQ_CST))
#define uatomic_add_return(addr, v) __atomic_add_fetch((addr), (v), __ATOMIC_SEQ_CST)

#endif
