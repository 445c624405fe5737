/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash.  With
 * a secret random key nobody can choose inputs that collide, so a
 * container cannot name its cgroup to share another's counter state.
 */
#ifndef LXCFS_SIPHASH_H
#define LXCFS_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t siphash24(const uint64_t key[2], const void *data, size_t len);

#endif
