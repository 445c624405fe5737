/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The text of a PSI trigger, as a write(2) to /proc/pressure/<resource>
 * passes it to the kernel's psi_write() and psi_trigger_create()
 * (kernel/sched/psi.c, Documentation/accounting/psi.rst):
 *
 *   "<some|full> <threshold us> <window us>"
 *
 * parsed the way the kernel parses it, quirks included, so that a writer
 * gets the same result from the mount as from the kernel's file:
 *   - only the first 32 bytes of a write count, and the last byte counted
 *     is dropped (psi_write() puts its NUL there): "some 150000 1000000"
 *     written without a NUL or newline reads as window 100000 (EINVAL),
 *     which is why psi.rst writes strlen() + 1 bytes;
 *   - the kernel's sscanf("some %u %u"): the word matches exactly, blanks
 *     are optional and may be any of the kernel's isspace() (which
 *     counts 0xa0), numbers are decimal digits without a sign, taken
 *     modulo 2^32, and anything after the second number is ignored.
 * Then the limits: threshold 1 .. window, window 500 ms .. 10 s
 * (proto_psi_spec_valid(); doc/FILES.md says why not the kernel's
 * privilege-dependent variants).  Only the front parses; the collector
 * checks the numbers again.
 */
#ifndef LXCFS_PSI_H
#define LXCFS_PSI_H

#include <stddef.h>

#include "proto.h"

/* psi_write()'s buffer: char buf[32] */
#define PSI_WRITE_MAX 32

/* The spec that the n bytes of a write make: 0, or -EINVAL. */
int psi_trigger_parse(const char *buf, size_t n, struct proto_psi_spec *spec);

#endif
