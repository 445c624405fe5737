/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The number of a host node as doc/PROTOCOL.md (section 6.1) defines it:
 * FNV-1a 64 over the path relative to /sys/devices/system/cpu, folded into
 * 62 bits, with VFILE_HOSTNODE_BIT set.  Written from the document, not
 * from collector/hostdir.c, so a test comparing the two checks both.
 */
#ifndef LXCFS_TEST_HOSTNODE_H
#define LXCFS_TEST_HOSTNODE_H

#include <stdint.h>

static inline uint64_t doc_hostnode(const char *path)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * UINT64_C(0x100000001b3);
	return (h & ((UINT64_C(1) << 62) - 1)) | (UINT64_C(1) << 62);
}

#endif
