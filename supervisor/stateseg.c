// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The counter state segment (contract.h): created once by the supervisor
 * and handed to every collector it starts, so that the counters of
 * proc/stat and proc/uptime survive a collector's restart.
 *
 * Privileged primitives here: none.  memfd_create, ftruncate, pwrite of
 * the header, fcntl(F_ADD_SEALS), getrandom.  The supervisor writes the
 * header and never reads the segment back: the rest holds data derived
 * from containers, which this process never parses.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "cleanup.h"
#include "contract.h"
#include "io.h"
#include "stateseg.h"

_Static_assert(sizeof(struct stateseg_hdr) <= STATESEG_HDR_SIZE, "segment header size");

static int fill_random(void *p, size_t n)
{
	char *c = p;

	while (n > 0) {
		ssize_t r = getrandom(c, n, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

int stateseg_create(void)
{
	struct stateseg_hdr h = {
		.magic = STATESEG_MAGIC,
		.version = STATESEG_VERSION,
		.hdr_size = STATESEG_HDR_SIZE,
		.size = STATESEG_SIZE,
	};
	_cleanup_close_ int fd = memfd_create("lxcfs-state", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int r;

	if (fd < 0)
		return -errno;
	r = fill_random(h.key, sizeof(h.key));
	if (r < 0)
		return r;
	if (ftruncate(fd, STATESEG_SIZE) < 0)
		return -errno;
	if (RETRY_EINTR(pwrite(fd, &h, sizeof(h), 0)) != (ssize_t)sizeof(h))
		return -EIO;
	/* a collector may write the data, never change the size: a shrunk
	 * segment would SIGBUS every other process that maps it */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		return -errno;
	return steal_fd(&fd);
}
