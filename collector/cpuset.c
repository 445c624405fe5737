// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
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

int cpuset_nth(const struct cpuset *s, unsigned n, unsigned *cpu)
{
	for (unsigned w = 0; w < CPUSET_MAX / 64; w++) {
		uint64_t bits = s->bits[w];
		unsigned k = (unsigned)__builtin_popcountll(bits);

		if (n >= k) {
			n -= k;
			continue;
		}
		while (n--)
			bits &= bits - 1; /* drop the lowest member */
		*cpu = w * 64 + (unsigned)__builtin_ctzll(bits);
		return 0;
	}
	return -ENOENT;
}

unsigned cpuset_rank(const struct cpuset *s, unsigned cpu)
{
	unsigned rank = 0;

	if (cpu >= CPUSET_MAX)
		return cpuset_count(s);
	for (unsigned w = 0; w < cpu / 64; w++)
		rank += (unsigned)__builtin_popcountll(s->bits[w]);
	if (cpu % 64)
		rank += (unsigned)__builtin_popcountll(s->bits[cpu / 64] &
						       ((UINT64_C(1) << (cpu % 64)) - 1));
	return rank;
}

#define MASK_CHUNK 32 /* bits per comma-separated chunk */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int cpuset_parse_mask(struct cpuset *s, const char *text, unsigned *nbits)
{
	size_t i = strcspn(text, "\n");
	unsigned bit = 0;

	cpuset_clear(s);
	/* from the right: chunks of 8 digits, the leftmost one of 1 to 8 */
	for (;;) {
		size_t start = i, n;

		while (start > 0 && text[start - 1] != ',')
			start--;
		n = i - start;
		if (n == 0 || n > 8 || (start > 0 && n != 8) || bit + 4 * n > CPUSET_MAX)
			return -EINVAL;
		for (size_t k = i; k > start; k--, bit += 4) {
			int v = hex_value(text[k - 1]);

			if (v < 0)
				return -EINVAL;
			for (unsigned b = 0; b < 4; b++)
				if (v & (1 << b))
					cpuset_set(s, bit + b);
		}
		if (start == 0)
			break;
		i = start - 1;
	}
	*nbits = bit;
	return 0;
}

void cpuset_format_mask(const struct cpuset *s, unsigned nbits, struct buf *out)
{
	unsigned chunks, first;

	if (nbits == 0)
		nbits = 1;
	if (nbits > CPUSET_MAX)
		nbits = CPUSET_MAX;
	chunks = (nbits + MASK_CHUNK - 1) / MASK_CHUNK;
	first = nbits - (chunks - 1) * MASK_CHUNK; /* bits of the leftmost chunk */
	for (unsigned c = chunks; c-- > 0;) {
		unsigned width = c == chunks - 1 ? first : MASK_CHUNK;
		uint32_t v = 0;

		for (unsigned i = 0; i < width; i++)
			if (cpuset_has(s, c * MASK_CHUNK + i))
				v |= UINT32_C(1) << i;
		buf_printf(out, "%s%0*" PRIx32, c == chunks - 1 ? "" : ",", (int)((width + 3) / 4),
			   v);
	}
}
