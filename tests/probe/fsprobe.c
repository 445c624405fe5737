// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Small file-system probes for the functional tests, where shell tools
 * hide what matters (d_type, pread offsets, exact errno).
 *   fsprobe dtypes DIR      "d name" / "f name" per entry, from d_type only
 *   fsprobe pread FILE      one open: reads at offsets > 0 agree with the
 *                           rendering of the last read at offset 0 (the
 *                           open's, then a pread's); past the end: 0 bytes
 *   fsprobe reread FILE MIB one open read three times from offset 0, the
 *                           second after touching MIB MiB (see reread())
 *   fsprobe monotonic FILE N  N fresh opens, then N re-reads of one open
 *                           from offset 0: no number ever goes back
 *   fsprobe dump FILE N US  N fresh opens, each rendering printed and
 *                           followed by a "--" line, with US microseconds
 *                           of busy CPU after each (so counters move)
 *   fsprobe threads FILE N  4 threads share one open, each reading it N
 *                           times from offset 0: every read is whole
 *   fsprobe errno OP FILE   OP: open-rw, open-trunc, setxattr, removexattr,
 *                           chmod, truncate, utimes; prints the errno name
 *   fsprobe psipoll FILE TRIGGER MS [READY]  a PSI trigger as psi.rst
 *                           writes it (O_RDWR, strlen + 1 bytes; then
 *                           writes its pid to the file READY), then poll() for
 *                           POLLPRI for up to MS ms: prints "event N ms"
 *                           (N since the write), "pollerr", "timeout", or
 *                           "open: ERRNO" / "write: ERRNO"
 *   fsprobe psiwrite FILE TEXT...  one open per TEXT (C escapes \0 \n \t
 *                           \xHH; written as exactly those bytes), then a
 *                           second write of TEXT on the same fd: prints
 *                           "OK|ERRNO OK|ERRNO" per TEXT
 *   fsprobe psiarm FILE TRIGGER N  N opens at once, each writing TRIGGER:
 *                           prints how many writes gave each result
 *   fsprobe pollnow FILE    one poll(POLLIN | POLLPRI, timeout 0) of a
 *                           fresh read-only open: the revents, by name
 *   fsprobe cpucount        what Python's os.cpu_count() and
 *                           sorted(os.sched_getaffinity(0)) print: "1 [0]"
 *   fsprobe mlock MIB FILE...  mlock MIB MiB of fresh anonymous memory, then
 *                           print each FILE followed by a "--" line
 *   fsprobe runtime MNT "NAMES" CMD...  what a container runtime does in
 *                           the container's mount namespace (in_runtime):
 *                           bind MNT/proc/NAME over each /proc/NAME there
 *                           is, MNT/proc/pressure/X over /proc/pressure/X,
 *                           MNT/sys/devices/system/cpu over the kernel's,
 *                           then exec CMD; exit 96 if a bind fails.  One
 *                           process instead of a mount(8) per file (a
 *                           fork and exec costs ~80 ms in the VM lane)
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

static int dtypes(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		perror(dir);
		return 1;
	}
	while ((de = readdir(d))) {
		char t = de->d_type == DT_DIR	    ? 'd'
			 : de->d_type == DT_REG	    ? 'f'
			 : de->d_type == DT_LNK	    ? 'l'
			 : de->d_type == DT_UNKNOWN ? 'u'
						    : 'o';

		printf("%c %s\n", t, de->d_name);
	}
	closedir(d);
	return 0;
}

/* read FILE from fd's current position to the end in 7-byte read()s */
static ssize_t read_chunks(int fd, char *buf, size_t max)
{
	size_t len = 0;
	ssize_t n;

	while (len < max && (n = read(fd, buf + len, 7)) > 0)
		len += (size_t)n;
	return n < 0 ? -1 : (ssize_t)len;
}

/* preads at every offset from 1 up, in any order and size, give want[] */
static int check_offsets(int fd, const char *want, size_t len)
{
	static char part[8192];

	for (size_t off = len - 1; off > 0; off = off > 97 ? off - 97 : 0) {
		size_t exp = len - off < sizeof(part) ? len - off : sizeof(part);
		ssize_t n = pread(fd, part, sizeof(part), (off_t)off);

		if (n != (ssize_t)exp || memcmp(part, want + off, exp) != 0) {
			fprintf(stderr, "offset %zu: got %zd bytes, want %zu\n", off, n, exp);
			return 1;
		}
	}
	for (size_t off = 7; off < len; off += 7) {
		ssize_t n = pread(fd, part, 7, (off_t)off);

		if (n != (ssize_t)(len - off < 7 ? len - off : 7) ||
		    memcmp(part, want + off, (size_t)n) != 0) {
			fprintf(stderr, "7 bytes at %zu differ\n", off);
			return 1;
		}
	}
	if (pread(fd, part, 10, (off_t)len) != 0 || pread(fd, part, 10, (off_t)len + 4096) != 0) {
		fprintf(stderr, "reading past the end gave bytes\n");
		return 1;
	}
	return 0;
}

/* One open: every offset > 0 serves the rendering of the last read at
 * offset 0, the first one (the open's) and one made by a pread at 0. */
static int preads(const char *file)
{
	static char all[16 << 20], again[16 << 20];
	ssize_t len, n;
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		perror(file);
		return 1;
	}
	len = read_chunks(fd, all, sizeof(all));
	if (len <= 0) {
		fprintf(stderr, "read: %s\n", len < 0 ? strerror(errno) : "empty");
		return 1;
	}
	if (check_offsets(fd, all, (size_t)len))
		return 1;
	n = pread(fd, again, sizeof(again), 0);
	if (n <= 0 || check_offsets(fd, again, (size_t)n)) {
		fprintf(stderr, "after a pread at offset 0 (%zd bytes)\n", n);
		return 1;
	}
	printf("len=%zd ok\n", len);
	close(fd);
	return 0;
}

/* What a tool that keeps FILE open sees (top, vmstat 1, free -s):
 *   A  read() to the end after open
 *   B  lseek(0) and read() to the end again, after touching MIB MiB
 *   C  one pread() at 0, after which every offset > 0 must agree with C
 * 100 ms pass before B and before C.  Prints the three renderings. */
static int reread(const char *file, long mib)
{
	static char a[1 << 20], b[1 << 20], c[1 << 20];
	ssize_t la, lb, lc;
	char *mem = NULL;
	int fd;

	/* fault the buffers in before the open renders A: under transparent
	 * huge pages (the VM lane's kernel) a buffer's first byte charges
	 * 2 MiB, which would show between A and B */
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(c, 0, sizeof(c));
	fd = open(file, O_RDONLY);
	if (fd < 0) {
		perror(file);
		return 1;
	}
	la = read_chunks(fd, a, sizeof(a));
	if (mib > 0) {
		mem = malloc((size_t)mib << 20);
		if (!mem) {
			perror("malloc");
			return 1;
		}
		memset(mem, 1, (size_t)mib << 20); /* charged to the reader's cgroup */
	}
	usleep(100000);
	lb = lseek(fd, 0, SEEK_SET) == 0 ? read_chunks(fd, b, sizeof(b)) : -1;
	usleep(100000);
	lc = pread(fd, c, sizeof(c), 0);
	if (la <= 0 || lb <= 0 || lc <= 0) {
		fprintf(stderr, "read: %s\n", strerror(errno));
		return 1;
	}
	if (check_offsets(fd, c, (size_t)lc))
		return 1;
	printf("--- A\n%.*s--- B\n%.*s--- C\n%.*s--- ok\n", (int)la, a, (int)lb, b, (int)lc, c);
	free(mem);
	close(fd);
	return 0;
}

/* lines whose numbers may go down: counts of the moment, not counters */
static bool gauge_line(const char *line)
{
	return strncmp(line, "procs_running ", 14) == 0 || strncmp(line, "procs_blocked ", 14) == 0;
}

/* Every number of cur is >= the one at the same place of old (same lines,
 * same words in between).  0, or 1 after saying what went back. */
static int numbers_grew(const char *old, const char *cur, long nread)
{
	const char *o = old, *c = cur;
	unsigned line = 1;

	for (; *o && *c; line++) {
		bool gauge = gauge_line(o);

		while (*o && *o != '\n' && *c && *c != '\n') {
			char *oe, *ce;
			double a, b;

			while (*o == ' ' || *o == '\t')
				o++;
			while (*c == ' ' || *c == '\t')
				c++;
			if (!isdigit((unsigned char)*o) || !isdigit((unsigned char)*c)) {
				o += strcspn(o, " \t\n"); /* a word, not a number */
				c += strcspn(c, " \t\n");
				continue;
			}
			a = strtod(o, &oe);
			b = strtod(c, &ce);
			if (b < a && !gauge) {
				fprintf(stderr, "read %ld, line %u: %.*s went back to %.*s\n",
					nread, line, (int)(oe - o), o, (int)(ce - c), c);
				return 1;
			}
			o = oe;
			c = ce;
		}
		if ((*o == '\n') != (*c == '\n')) {
			fprintf(stderr, "read %ld, line %u changed shape\n", nread, line);
			return 1;
		}
		o += *o == '\n';
		c += *c == '\n';
	}
	if (*o || *c) {
		fprintf(stderr, "read %ld: the number of lines changed\n", nread);
		return 1;
	}
	return 0;
}

/* read the whole file: by a fresh open (fd < 0) or from offset 0 of fd */
static int read_whole(const char *file, int fd, char *buf, size_t max)
{
	int own = fd < 0 ? open(file, O_RDONLY) : -1;
	ssize_t n, len = 0;

	if (fd < 0 && own < 0)
		return -1;
	while ((size_t)len < max - 1 &&
	       (n = pread(own >= 0 ? own : fd, buf + len, max - 1 - (size_t)len, (off_t)len)) > 0)
		len += n;
	buf[len] = '\0';
	if (own >= 0)
		close(own);
	return len > 0 ? 0 : -1;
}

static int monotonic(const char *file, long n)
{
	static char bufs[2][1 << 20];
	int fd = -1;

	for (long i = 0; i < 2 * n; i++) {
		char *cur = bufs[i % 2], *old = bufs[(i + 1) % 2];

		/* opened now: its first rendering is newer than the last fresh one */
		if (i == n && (fd = open(file, O_RDONLY)) < 0) {
			perror(file);
			return 1;
		}
		if (read_whole(file, fd, cur, sizeof(bufs[0])) < 0) {
			fprintf(stderr, "read %ld: %s\n", i, strerror(errno));
			return 1;
		}
		if (i > 0 && numbers_grew(old, cur, i))
			return 1;
	}
	printf("%ld reads ok\n", 2 * n);
	if (fd >= 0)
		close(fd);
	return 0;
}

#define THREADS 4

struct shared_open {
	int fd;
	long reads;
	size_t lines; /* of the first rendering */
	atomic_int failed;
};

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* pread at 0 with room for the whole file: one whole rendering each time,
 * also while other threads' reads render it again */
static void spin_us(long us)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000L + (t.tv_nsec - t0.tv_nsec) / 1000 < us);
}

static int dump(const char *file, long n, long us)
{
	static char buf[1 << 20];

	for (long i = 0; i < n; i++) {
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		int r;

		if (fd < 0) {
			perror(file);
			return 1;
		}
		r = read_whole(file, fd, buf, sizeof(buf));
		close(fd);
		if (r < 0)
			return 1;
		fputs(buf, stdout);
		fputs("--\n", stdout);
		spin_us(us);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

static void *thread_reads(void *arg)
{
	struct shared_open *o = arg;
	char *buf = malloc(1 << 20);

	for (long i = 0; buf && i < o->reads && !o->failed; i++) {
		ssize_t n = pread(o->fd, buf, 1 << 20, 0);

		if (n <= 0 || buf[n - 1] != '\n' || count_lines(buf, (size_t)n) != o->lines) {
			fprintf(stderr, "read %ld: %zd bytes, not a whole rendering\n", i, n);
			o->failed = 1;
		}
	}
	free(buf);
	return NULL;
}

static int threads(const char *file, long n)
{
	static char first[1 << 20];
	struct shared_open o = { .fd = open(file, O_RDONLY), .reads = n };
	pthread_t t[THREADS];
	ssize_t len;

	if (o.fd < 0 || (len = read(o.fd, first, sizeof(first))) <= 0) {
		perror(file);
		return 1;
	}
	o.lines = count_lines(first, (size_t)len);
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, thread_reads, &o) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	close(o.fd);
	if (o.failed)
		return 1;
	printf("%d x %ld reads ok\n", THREADS, n);
	return 0;
}

static int op_errno(const char *op, const char *file)
{
	int r = -1, fd;
	struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };

	errno = 0;
	if (strcmp(op, "open-rw") == 0)
		r = fd = open(file, O_RDWR);
	else if (strcmp(op, "open-wr") == 0)
		r = fd = open(file, O_WRONLY);
	else if (strcmp(op, "open-trunc") == 0)
		r = fd = open(file, O_RDONLY | O_TRUNC);
	else if (strcmp(op, "setxattr") == 0)
		r = setxattr(file, "user.lxcfs", "x", 1, 0);
	else if (strcmp(op, "removexattr") == 0)
		r = removexattr(file, "user.lxcfs");
	else if (strcmp(op, "chmod") == 0)
		r = chmod(file, 0666);
	else if (strcmp(op, "truncate") == 0)
		r = truncate(file, 0);
	else if (strcmp(op, "utimes") == 0)
		r = utimensat(AT_FDCWD, file, ts, 0);
	else {
		fprintf(stderr, "unknown op %s\n", op);
		return 2;
	}
	printf("%s\n", r >= 0 ? "OK" : strerrorname_np(errno));
	return 0;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000L + (t.tv_nsec - t0->tv_nsec) / 1000000L;
}

/* READY appears whole, holding the pid (written aside, then renamed). */
static int ready_file(const char *ready)
{
	char tmp[4096];
	FILE *r;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", ready) >= (int)sizeof(tmp))
		return -1;
	r = fopen(tmp, "we");
	if (!r || fprintf(r, "%d\n", (int)getpid()) < 0 || fclose(r) != 0)
		return -1;
	return rename(tmp, ready);
}

static int psipoll(const char *file, const char *trigger, long timeout_ms, const char *ready)
{
	struct pollfd p = { .events = POLLPRI };
	struct timespec t0;
	int n;

	p.fd = open(file, O_RDWR | O_NONBLOCK);
	if (p.fd < 0) {
		printf("open: %s\n", strerrorname_np(errno));
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (write(p.fd, trigger, strlen(trigger) + 1) < 0) {
		printf("write: %s\n", strerrorname_np(errno));
		return 0;
	}
	if (ready && ready_file(ready) < 0) {
		perror(ready);
		return 1;
	}
	do
		n = poll(&p, 1, (int)(timeout_ms - ms_since(&t0)));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		perror("poll");
		return 1;
	}
	if (n == 0)
		printf("timeout\n");
	else if (p.revents & POLLERR)
		printf("pollerr\n");
	else if (p.revents & POLLPRI)
		printf("event %ld ms\n", ms_since(&t0));
	else
		printf("revents %#x\n", (unsigned)p.revents);
	close(p.fd);
	return 0;
}

/* Up to two hex digits after the 'x' at *sp; *sp moves past them. */
static unsigned hex2(const char **sp)
{
	const char *s = *sp + 1;
	unsigned v = 0;

	for (int i = 0; i < 2 && isxdigit((unsigned char)*s); i++, s++)
		v = v * 16 +
		    (unsigned)(isdigit((unsigned char)*s) ? *s - '0' : (*s | 0x20) - 'a' + 10);
	*sp = s;
	return v;
}

/* s with C escapes resolved into out (at most max bytes): its length. */
static size_t unescape(const char *s, char *out, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		if (*s != '\\' || !s[1]) {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case '0':
			out[n++] = '\0';
			s++;
			break;
		case 'n':
			out[n++] = '\n';
			s++;
			break;
		case 't':
			out[n++] = '\t';
			s++;
			break;
		case 'x': out[n++] = (char)hex2(&s); break;
		default: out[n++] = *s++; break;
		}
	}
	return n;
}

static const char *write_result(int fd, const char *buf, size_t n)
{
	return write(fd, buf, n) == (ssize_t)n ? "OK" : strerrorname_np(errno);
}

static int psiwrite(const char *file, int n, char **texts)
{
	for (int i = 0; i < n; i++) {
		char buf[256];
		size_t len = unescape(texts[i], buf, sizeof(buf));
		int fd = open(file, O_WRONLY);
		const char *first;

		if (fd < 0) {
			printf("open:%s\n", strerrorname_np(errno));
			continue;
		}
		first = write_result(fd, buf, len);
		printf("%s %s\n", first, write_result(fd, buf, len));
		close(fd);
	}
	return 0;
}

static int pollnow(const char *file)
{
	static const struct {
		short bit;
		const char *name;
	} bits[] = { { POLLIN, "IN" },	 { POLLPRI, "PRI" }, { POLLOUT, "OUT" },
		     { POLLERR, "ERR" }, { POLLHUP, "HUP" }, { POLLNVAL, "NVAL" } };
	struct pollfd p = { .fd = open(file, O_RDONLY), .events = POLLIN | POLLPRI };

	if (p.fd < 0 || poll(&p, 1, 0) < 0) {
		perror(file);
		return 1;
	}
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (p.revents & bits[i].bit)
			printf("%s ", bits[i].name);
	printf("\n");
	close(p.fd);
	return 0;
}

static int psiarm(const char *file, const char *trigger, long n)
{
	static int fds[4096];
	char names[8][32] = { { 0 } };
	long counts[8] = { 0 };

	if (n < 1 || n > (long)(sizeof(fds) / sizeof(fds[0])))
		return 2;
	for (long i = 0; i < n; i++) {
		const char *r;
		int k = 0;

		fds[i] = open(file, O_RDWR);
		r = fds[i] < 0 ? "open-failed" : write_result(fds[i], trigger, strlen(trigger) + 1);
		while (k < 7 && names[k][0] && strcmp(names[k], r) != 0)
			k++;
		snprintf(names[k], sizeof(names[k]), "%s", r);
		counts[k]++;
	}
	for (int k = 0; k < 8 && names[k][0]; k++)
		printf("%s %ld\n", names[k], counts[k]);
	for (long i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return 0;
}

/* sysconf(_SC_NPROCESSORS_ONLN) (glibc: /sys/devices/system/cpu/online)
 * and the affinity mask, as Python 3.11 prints them */
static int cpucount(void)
{
	cpu_set_t set;
	const char *sep = "";

	if (sched_getaffinity(0, sizeof(set), &set) != 0) {
		perror("sched_getaffinity");
		return 1;
	}
	printf("%ld [", sysconf(_SC_NPROCESSORS_ONLN));
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set)) {
			printf("%s%d", sep, c);
			sep = ", ";
		}
	printf("]\n");
	return 0;
}

/* FILE and a "--" line; an empty FILE (proc/sys/vm/stat_refresh, whose
 * read folds the per-CPU vm counters into the global ones) is fine */
static int print_file(const char *file)
{
	static char buf[1 << 20];
	int fd = open(file, O_RDONLY), r;

	if (fd < 0) {
		perror(file);
		return 1;
	}
	errno = 0;
	r = read_whole(file, fd, buf, sizeof(buf));
	close(fd);
	if (r < 0 && errno) {
		perror(file);
		return 1;
	}
	printf("%s--\n", buf);
	return 0;
}

/* the files as seen while MIB MiB of this process are mlocked */
static int mlocked(long mib, char **files, int n)
{
	size_t len = (size_t)mib << 20;
	char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED || mlock(mem, len) != 0) {
		perror("mlock");
		return 1;
	}
	for (int i = 0; i < n; i++)
		if (print_file(files[i]))
			return 1;
	munlock(mem, len);
	munmap(mem, len);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* bind MNT/REL over /REL if both exist (want: /REL must exist) */
static int bind_rel(const char *mnt, const char *rel, bool want)
{
	char src[PATH_MAX], dst[PATH_MAX];

	snprintf(src, sizeof(src), "%s/%s", mnt, rel);
	snprintf(dst, sizeof(dst), "/%s", rel);
	if (access(dst, F_OK) != 0 && !want)
		return 0;
	if (access(src, F_OK) != 0 && !want)
		return 0;
	if (mount(src, dst, NULL, MS_BIND, NULL) != 0) {
		fprintf(stderr, "bind %s over %s: %s\n", src, dst, strerror(errno));
		return 1;
	}
	return 0;
}

static int runtime(const char *mnt, char *names, char **cmd)
{
	char rel[NAME_MAX + 32];
	struct dirent *de;
	DIR *d;

	for (char *n = strtok(names, " "); n; n = strtok(NULL, " ")) {
		snprintf(rel, sizeof(rel), "proc/%s", n);
		if (bind_rel(mnt, rel, false))
			return 96;
	}
	d = opendir("/proc/pressure");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "proc/pressure/%s", de->d_name);
		if (bind_rel(mnt, rel, false))
			return 96;
	}
	if (d)
		closedir(d);
	if (bind_rel(mnt, "sys/devices/system/cpu", true))
		return 96;
	execvp(cmd[0], cmd);
	perror(cmd[0]);
	return 127;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "dtypes") == 0)
		return dtypes(argv[2]);
	if (argc == 3 && strcmp(argv[1], "pread") == 0)
		return preads(argv[2]);
	if (argc == 4 && strcmp(argv[1], "reread") == 0)
		return reread(argv[2], strtol(argv[3], NULL, 10));
	if (argc == 4 && strcmp(argv[1], "monotonic") == 0)
		return monotonic(argv[2], strtol(argv[3], NULL, 10));
	if (argc == 5 && strcmp(argv[1], "dump") == 0)
		return dump(argv[2], strtol(argv[3], NULL, 10), strtol(argv[4], NULL, 10));
	if (argc == 4 && strcmp(argv[1], "threads") == 0)
		return threads(argv[2], strtol(argv[3], NULL, 10));
	if (argc == 4 && strcmp(argv[1], "errno") == 0)
		return op_errno(argv[2], argv[3]);
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "psipoll") == 0)
		return psipoll(argv[2], argv[3], strtol(argv[4], NULL, 10),
			       argc == 6 ? argv[5] : NULL);
	if (argc >= 4 && strcmp(argv[1], "psiwrite") == 0)
		return psiwrite(argv[2], argc - 3, argv + 3);
	if (argc == 3 && strcmp(argv[1], "pollnow") == 0)
		return pollnow(argv[2]);
	if (argc == 5 && strcmp(argv[1], "psiarm") == 0)
		return psiarm(argv[2], argv[3], strtol(argv[4], NULL, 10));
	if (argc == 2 && strcmp(argv[1], "cpucount") == 0)
		return cpucount();
	if (argc >= 5 && strcmp(argv[1], "runtime") == 0)
		return runtime(argv[2], argv[3], argv + 4);
	if (argc >= 4 && strcmp(argv[1], "mlock") == 0)
		return mlocked(strtol(argv[2], NULL, 10), argv + 3, argc - 3);
	fprintf(stderr,
		"usage: fsprobe dtypes DIR | pread FILE | reread FILE MIB "
		"|\n\t\t\tmonotonic FILE N | dump FILE N US | threads FILE N | errno OP FILE"
		"|\n\t\t\tpsipoll FILE TRIGGER MS [READY] | psiwrite FILE TEXT... | psiarm FILE "
		"TRIGGER N |\n\t\t\tpollnow FILE | cpucount | mlock MIB FILE... "
		"|\n\t\t\truntime MNT NAMES CMD...\n");
	return 2;
}
