/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The counter state segment's creation (the layout is in contract.h). */
#ifndef LXCFS_STATESEG_H
#define LXCFS_STATESEG_H

/* A sealed memfd of STATESEG_SIZE bytes with its header written and a
 * fresh random key: the fd (close-on-exec) or -errno. */
int stateseg_create(void);

#endif
