// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "childopt.h"

int childopt_parse_id(const char *s, unsigned long *id)
{
	char *end;
	unsigned long v;

	if (!s || s[0] < '0' || s[0] > '9')
		return -EINVAL; /* strtoul would take "-1" and " 7" */
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v >= (unsigned long)(id_t)-1)
		return -EINVAL;
	*id = v;
	return 0;
}

void childopt_init(struct child_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->sandbox = true;
}

int childopt_take(struct child_opts *o, int c, const char *arg)
{
	unsigned long id;

	switch (c) {
	case CHILD_OPT_DEBUG: o->debug = true; return 1;
	case CHILD_OPT_RELAY: o->relay = true; return 1;
	case CHILD_OPT_NOSANDBOX: o->sandbox = false; return 1;
	case CHILD_OPT_SECCOMP_LOG: o->seccomp_log = true; return 1;
	case CHILD_OPT_DUMP: o->dump = true; return 1;
	case CHILD_OPT_UID:
	case CHILD_OPT_GID:
		if (childopt_parse_id(arg, &id) < 0) {
			fprintf(stderr, "bad %s '%s'\n", c == CHILD_OPT_UID ? "uid" : "gid", arg);
			return -1;
		}
		if (c == CHILD_OPT_UID) {
			o->uid = (uid_t)id;
			o->have_uid = true;
		} else {
			o->gid = (gid_t)id;
			o->have_gid = true;
		}
		return 1;
	default: return 0;
	}
}

int childopt_finish(const struct child_opts *o, const char *prog)
{
	if (o->dump)
		return 0;
	if (!o->have_uid || !o->have_gid) {
		fprintf(stderr, "%s: --uid and --gid are required\n", prog);
		return -1;
	}
	if (o->sandbox && (o->uid == 0 || o->gid == 0)) {
		fprintf(stderr, "%s: refusing uid or gid 0 in the sandbox\n", prog);
		return -1;
	}
	return 0;
}
