// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc/cpuinfo: the host's file, keeping only the CPUs the target may use
 * (render_visible_cpus()), numbered as render_cpu_shown() says.
 *
 * x86, arm64, power and most other arches print one block per CPU,
 * separated by a blank line, whose first line is "processor\t: N".
 * Blocks that do not start that way (32-bit arm's trailing "Hardware",
 * power's "timebase"/"platform") are kept as they are.  s390 has a
 * format of its own (render_cpuinfo_s390.c).  A file in neither format
 * is shown unchanged.
 *
 * --enable-flat-topology (opt->flat) shows every CPU as a single-core
 * package: "physical id" is the CPU's number in the view, "siblings" 1,
 * "core id" 0, "cpu cores" 1 (iSulad's documented view).  apicid and
 * initial apicid stay the hardware's: they are unique per CPU either way
 * and no CPU-counting parser reads them.
 *
 * The output can be large (about 1.5 KiB per CPU on x86): it is never
 * truncated, a full output buffer is an error (out->err).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "fsio.h"
#include "render.h"

size_t cpuinfo_value_at(const char *line, size_t len, const char *key)
{
	size_t n = strlen(key), i;

	if (len < n || memcmp(line, key, n) != 0)
		return 0;
	for (i = n; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len || line[i] != ':')
		return 0;
	for (i++; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	return i;
}

/* What the flat topology shows for a key (-1: the shown CPU number). */
static const struct flat_key {
	const char *key;
	int value;
} flat_keys[] = {
	{ "physical id", -1 },
	{ "siblings", 1 },
	{ "core id", 0 },
	{ "cpu cores", 1 },
};

void cpuinfo_put_line(const struct render_ctx *ctx, struct buf *out, const char *line, size_t len,
		      const char *number_key, unsigned shown)
{
	size_t v = cpuinfo_value_at(line, len, number_key);
	long value = shown;

	for (size_t i = 0; !v && ctx->opt->flat && i < ARRAY_SIZE(flat_keys); i++) {
		v = cpuinfo_value_at(line, len, flat_keys[i].key);
		if (v && flat_keys[i].value >= 0)
			value = flat_keys[i].value;
	}
	if (!v) {
		buf_append(out, line, len);
		return;
	}
	buf_append(out, line, v);
	buf_printf(out, "%ld", value);
	if (line[len - 1] == '\n')
		buf_puts(out, "\n");
}

/* The CPU number of a line "key<blanks>:<blanks>N", or -1. */
long cpuinfo_number(const char *line, size_t len, const char *key)
{
	size_t v = cpuinfo_value_at(line, len, key);
	unsigned long n;
	char *e;

	if (!v || !isdigit((unsigned char)line[v]))
		return -1;
	errno = 0;
	n = strtoul(line + v, &e, 10);
	if (errno || n >= CPUSET_MAX || e > line + len || (e < line + len && *e != '\n'))
		return -1;
	return (long)n;
}

/* One block: [start, start + len), including its trailing blank lines. */
struct block {
	const char *start;
	size_t len;
	long cpu; /* -1: not a CPU's block */
};

static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? (size_t)(nl - p + 1) : (size_t)(end - p);
}

/* The block starting at p: up to and including the blank line after it. */
static const char *next_block(const char *p, struct block *b)
{
	const char *sep = strstr(p, "\n\n");
	const char *end = sep ? sep + 2 : p + strlen(p);

	/* more than one blank line belongs to the block before */
	while (*end == '\n')
		end++;
	b->start = p;
	b->len = (size_t)(end - p);
	b->cpu = cpuinfo_number(p, line_len(p, end), "processor");
	return end;
}

static bool has_cpu_blocks(const char *text)
{
	struct block b;

	for (const char *p = text; *p;) {
		p = next_block(p, &b);
		if (b.cpu >= 0)
			return true;
	}
	return false;
}

static void put_block(const struct render_ctx *ctx, struct buf *out, const struct block *b,
		      unsigned shown)
{
	const char *end = b->start + b->len;

	for (const char *p = b->start; p < end;) {
		size_t n = line_len(p, end);

		cpuinfo_put_line(ctx, out, p, n, "processor", shown);
		p += n;
	}
}

static bool is_s390(const char *text)
{
	return strncmp(text, "vendor_id", 9) == 0 && strstr(text, "\n# processors") != NULL;
}

int render_cpuinfo(const struct render_ctx *ctx, struct buf *out)
{
	_cleanup_buf_ struct buf host = BUF_INIT(FS_READ_MAX);
	struct cpuset vis;
	struct block b;
	int r;

	r = host_read_proc(ctx->host, "cpuinfo", &host);
	if (r < 0)
		return r;
	if (!is_s390(host.data) && !has_cpu_blocks(host.data)) {
		buf_append(out, host.data, host.len);
		return out->err;
	}
	r = render_visible_cpus(ctx, &vis);
	if (r < 0)
		return r;
	if (is_s390(host.data))
		return render_cpuinfo_s390(ctx, &vis, host.data, out);
	for (const char *p = host.data; *p;) {
		p = next_block(p, &b);
		if (b.cpu < 0)
			buf_append(out, b.start, b.len);
		else if (cpuset_has(&vis, (unsigned)b.cpu))
			put_block(ctx, out, &b, render_cpu_shown(ctx, &vis, (unsigned)b.cpu));
	}
	return out->err;
}
