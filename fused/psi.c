// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "psi.h"

/* The kernel's isspace() (lib/ctype.c: Latin-1, so 0xa0 is a space too) */
#define NBSP 0xa0

static bool kernel_isspace(char c)
{
	unsigned char u = (unsigned char)c;

	return u == ' ' || (u >= '\t' && u <= '\r') || u == NBSP;
}

static const char *skip_spaces(const char *s)
{
	while (kernel_isspace(*s))
		s++;
	return s;
}

/* vsscanf's %u: blanks, then at least one digit; the value is truncated
 * to 32 bits as the kernel stores it in an unsigned int. */
static bool scan_u32(const char **sp, uint32_t *v)
{
	const char *s = *sp;
	uint32_t x = 0;

	if (!*s)
		return false;
	s = skip_spaces(s);
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++)
		x = x * 10u + (uint32_t)(*s - '0'); /* wraps, like the kernel's */
	*v = x;
	*sp = s;
	return true;
}

/* sscanf(text, "<word> %u %u", a, b) == 2 */
static bool scan_trigger(const char *s, const char *word, uint32_t *a, uint32_t *b)
{
	size_t n = strlen(word);

	if (strncmp(s, word, n) != 0)
		return false;
	s = skip_spaces(s + n);
	if (!scan_u32(&s, a))
		return false;
	s = skip_spaces(s);
	return scan_u32(&s, b);
}

int psi_trigger_parse(const char *buf, size_t n, struct proto_psi_spec *spec)
{
	char text[PSI_WRITE_MAX];
	size_t len = n < sizeof(text) ? n : sizeof(text);

	memset(spec, 0, sizeof(*spec));
	if (n == 0)
		return -EINVAL;
	memcpy(text, buf, len);
	text[len - 1] = '\0';
	if (scan_trigger(text, "some", &spec->threshold_us, &spec->window_us))
		spec->kind = PROTO_PSI_SOME;
	else if (scan_trigger(text, "full", &spec->threshold_us, &spec->window_us))
		spec->kind = PROTO_PSI_FULL;
	else
		return -EINVAL;
	return proto_psi_spec_valid(spec) ? 0 : -EINVAL;
}
