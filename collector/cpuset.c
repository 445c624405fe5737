// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"

void cpuset_clear(struct cpuset *s)
{
	memset(s, 0, sizeof(*s));
}

bool cpuset_has(const struct cpuset *s, unsigned cpu)
{
	return cpu < CPUSET_MAX && (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}

void cpuset_set(struct cpuset *s, unsigned cpu)
{
	if (cpu < CPUSET_MAX)
		s->bits[cpu / 64] |= UINT64_C(1) << (cpu % 64);
}

static int parse_num(const char **p, unsigned *v)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	errno = 0;
	n = strtoul(*p, &end, 10);
	if (errno || n >= CPUSET_MAX)
		return -EINVAL;
	*v = (unsigned)n;
	*p = end;
	return 0;
}

int cpuset_parse(struct cpuset *s, const char *text)
{
	const char *p = text;

	cpuset_clear(s);
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != '\n') {
		unsigned a, b;

		if (parse_num(&p, &a) < 0)
			return -EINVAL;
		b = a;
		if (*p == '-') {
			p++;
			if (parse_num(&p, &b) < 0 || b < a)
				return -EINVAL;
		}
		for (unsigned c = a; c <= b; c++)
			cpuset_set(s, c);
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	return 0;
}

void cpuset_format(const struct cpuset *s, struct buf *out)
{
	bool first = true;

	for (unsigned c = 0; c < CPUSET_MAX; c++) {
		unsigned e;

		if (!cpuset_has(s, c))
			continue;
		for (e = c; e + 1 < CPUSET_MAX && cpuset_has(s, e + 1); e++)
			;
		if (e == c)
			buf_printf(out, "%s%u", first ? "" : ",", c);
		else
			buf_printf(out, "%s%u-%u", first ? "" : ",", c, e);
		first = false;
		c = e;
	}
}

void cpuset_and(struct cpuset *s, const struct cpuset *other)
{
	for (unsigned i = 0; i < CPUSET_MAX / 64; i++)
		s->bits[i] &= other->bits[i];
}

unsigned cpuset_count(const struct cpuset *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < CPUSET_MAX / 64; i++)
		n += (unsigned)__builtin_popcountll(s->bits[i]);
	return n;
}

void cpuset_limit(struct cpuset *s, unsigned n)
{
	unsigned seen = 0;

	for (unsigned c = 0; c < CPUSET_MAX; c++) {
		if (!cpuset_has(s, c))
			continue;
		if (seen++ >= n)
			s->bits[c / 64] &= ~(UINT64_C(1) << (c % 64));
	}
}
