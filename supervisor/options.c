// SPDX-License-Identifier: LGPL-2.1-or-later
/* The command line, compatible with LXCFS's. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "childopt.h"
#include "cleanup.h"
#include "options.h"

void options_usage(FILE *out)
{
	fprintf(
	    out,
	    "Usage: lxcfs [OPTION]... [MOUNTPOINT]\n"
	    "Mount a FUSE filesystem at MOUNTPOINT (default %s) whose proc/ and\n"
	    "sys/devices/system/cpu/ files show each reader its container's limits.\n"
	    "\n"
	    "  -d, --debug            debug logging (implies -f)\n"
	    "  -f, --foreground       stay in the foreground, log to stderr\n"
	    "  -h, --help             print this help and exit\n"
	    "  -l, --enable-loadavg   per-container proc/loadavg (else the host's)\n"
	    "  -o OPTIONS             FUSE mount options (allow_other is always set)\n"
	    "  -p, --pidfile FILE     pid file (default RUNTIME_DIR/lxcfs.pid), locked\n"
	    "  -s                     accepted for compatibility; ignored\n"
	    "  -u, --disable-swap     never show swap in meminfo and swaps\n"
	    "  -v, --version          print the version and exit\n"
	    "  -z, --disable-zswap    show no zswap in meminfo (Zswap, Zswapped: 0)\n"
	    "      --enable-cfs       CPU views also follow the CFS quota\n"
	    "      --enable-flat-topology\n"
	    "                         every CPU a single-core package, numbered from 0\n"
	    "      --enable-pidfd     accepted for compatibility (pidfds are always used)\n"
	    "      --enable-psi-poll  PSI triggers: proc/pressure/* take a trigger written\n"
	    "                         to them and poll(2) reports POLLPRI when it fires\n"
	    "      --pidns-cgroup=MODE\n"
	    "                         whose cgroups a pid namespace's readers get: init\n"
	    "                         (its init's, the default), auto (the reader's own when\n"
	    "                         init's have no limit and its own have) or reader\n"
	    "      --runtime-dir DIR  runtime directory (default %s)\n"
	    "      --user USER        user both children run as (default lxcfs, else nobody)\n"
	    "      --no-sandbox       no seccomp and no privilege drop (debugging only)\n"
	    "      --seccomp-log      log denied syscalls instead of killing (debugging only)\n",
	    DEFAULT_MOUNTPOINT, DEFAULT_RUNTIME_DIR);
}

/* FUSE options LXCFS users pass with -o.  The mount always has
 * allow_other and default_permissions; the rest do not apply to this
 * design (direct_io is always on, timeouts are per file) and are accepted
 * so that existing command lines keep working. */
static const char *const fuse_known[] = {
	"allow_other",
	"allow_root",
	"nonempty",
	"direct_io",
	"kernel_cache",
	"auto_cache",
	"entry_timeout",
	"attr_timeout",
	"negative_timeout",
	"ac_attr_timeout",
	"default_permissions",
	"big_writes",
	"large_read",
	"hard_remove",
	"use_ino",
	"readdir_ino",
	"noforget",
	"intr",
	"auto_unmount",
	"fsname",
	"subtype",
	"max_read",
	"max_write",
	"max_readahead",
	"async_read",
	"sync_read",
	"splice_read",
	"splice_write",
	"splice_move",
	"clone_fd",
	"max_idle_threads",
	"max_threads",
	"rw",
	"ro",
	"nosuid",
	"nodev",
	"noexec",
	"noatime",
	"relatime",
	"atime",
	"suid",
	"dev",
	"exec",
};

static int check_fuse_opts(const char *list)
{
	_cleanup_free_ char *copy = strdup(list);
	char *save = NULL;

	if (!copy)
		return -1;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t n = strcspn(t, "=");
		bool ok = false;

		for (size_t i = 0; i < ARRAY_SIZE(fuse_known) && !ok; i++)
			ok = strlen(fuse_known[i]) == n && strncmp(t, fuse_known[i], n) == 0;
		if (!ok) {
			fprintf(stderr, "lxcfs: unknown mount option '%s' in -o\n", t);
			return -1;
		}
	}
	return 0;
}

enum {
	OPT_CFS = 256,
	OPT_FLAT,
	OPT_PIDFD,
	OPT_PSI,
	OPT_PIDNS_CGROUP,
	OPT_RUNTIME,
	OPT_USER,
	OPT_NOSANDBOX,
	OPT_SECCOMP_LOG
};

int options_parse(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "enable-loadavg", no_argument, NULL, 'l' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "disable-swap", no_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'v' },
		{ "disable-zswap", no_argument, NULL, 'z' },
		{ "enable-cfs", no_argument, NULL, OPT_CFS },
		{ "enable-flat-topology", no_argument, NULL, OPT_FLAT },
		{ "enable-pidfd", no_argument, NULL, OPT_PIDFD },
		{ "enable-psi-poll", no_argument, NULL, OPT_PSI },
		{ "pidns-cgroup", required_argument, NULL, OPT_PIDNS_CGROUP },
		{ "runtime-dir", required_argument, NULL, OPT_RUNTIME },
		{ "user", required_argument, NULL, OPT_USER },
		{ "no-sandbox", no_argument, NULL, OPT_NOSANDBOX },
		{ "seccomp-log", no_argument, NULL, OPT_SECCOMP_LOG },
		{ 0 },
	};
	enum pidns_cgroup pidns;
	int c;

	memset(o, 0, sizeof(*o));
	o->sandbox = true;
	o->mountpoint = DEFAULT_MOUNTPOINT;
	o->runtime_dir = DEFAULT_RUNTIME_DIR;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":dfhlo:p:suvz", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->debug = o->foreground = true; break;
		case 'f': o->foreground = true; break;
		case 'h': options_usage(stdout); return 1;
		case 'l': o->loadavg = true; break;
		case 'o':
			if (check_fuse_opts(optarg) < 0)
				goto usage;
			break;
		case 'p': o->pidfile = optarg; break;
		case 's': break;
		case 'u': o->swap_off = true; break;
		case 'v': printf("%s\n", PACKAGE_VERSION); return 1;
		case 'z': o->zswap_off = true; break;
		case OPT_CFS: o->cfs = true; break;
		case OPT_FLAT: o->flat = true; break;
		case OPT_PIDFD: break;
		case OPT_PSI: o->psi_poll = true; break;
		case OPT_PIDNS_CGROUP:
			if (childopt_pidns_cgroup(optarg, &pidns) < 0) {
				fprintf(
				    stderr,
				    "lxcfs: --pidns-cgroup takes init, auto or reader, not '%s'\n",
				    optarg);
				goto usage;
			}
			o->pidns_cgroup = optarg;
			break;
		case OPT_RUNTIME: o->runtime_dir = optarg; break;
		case OPT_USER: o->user = optarg; break;
		case OPT_NOSANDBOX: o->sandbox = false; break;
		case OPT_SECCOMP_LOG: o->seccomp_log = true; break;
		case ':':
			fprintf(stderr, "lxcfs: option '%s' needs an argument\n", argv[optind - 1]);
			goto usage;
		default:
			fprintf(stderr, "lxcfs: unknown option '%s'\n", argv[optind - 1]);
			goto usage;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "lxcfs: too many arguments: '%s'\n", argv[optind + 1]);
		goto usage;
	}
	if (argc - optind == 1) {
		o->mountpoint = argv[optind];
		o->mountpoint_given = true;
	}
	if (!o->mountpoint[0] || (o->pidfile && !o->pidfile[0]) || !o->runtime_dir[0]) {
		fprintf(stderr, "lxcfs: empty path argument\n");
		goto usage;
	}
	return 0;
usage:
	fprintf(stderr, "Try 'lxcfs --help' for more information.\n");
	return -1;
}
