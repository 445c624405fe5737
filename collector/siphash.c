// SPDX-License-Identifier: LGPL-2.1-or-later
/* SipHash-2-4, written from the paper's description (see siphash.h). */
#include "config.h"

#include <string.h>

#include "siphash.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct sip {
	uint64_t v0, v1, v2, v3;
};

static void sip_round(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = ROTL(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = ROTL(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = ROTL(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = ROTL(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = ROTL(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = ROTL(s->v2, 32);
}

/* Little-endian 64-bit load of 8 bytes, whatever the host's order. */
static uint64_t load_le64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void sip_compress(struct sip *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s); /* c = 2 rounds per message word */
	sip_round(s);
	s->v0 ^= m;
}

uint64_t siphash24(const uint64_t key[2], const void *data, size_t len)
{
	const unsigned char *p = data;
	struct sip s = {
		.v0 = key[0] ^ UINT64_C(0x736f6d6570736575),
		.v1 = key[1] ^ UINT64_C(0x646f72616e646f6d),
		.v2 = key[0] ^ UINT64_C(0x6c7967656e657261),
		.v3 = key[1] ^ UINT64_C(0x7465646279746573),
	};
	unsigned char tail[8] = { 0 };
	size_t left = len % 8;

	for (size_t i = 0; i + 8 <= len; i += 8)
		sip_compress(&s, load_le64(p + i));
	memcpy(tail, p + len - left, left);
	tail[7] = (unsigned char)len; /* the length modulo 256 in the last byte */
	sip_compress(&s, load_le64(tail));
	s.v2 ^= 0xff;
	for (int i = 0; i < 4; i++) /* d = 4 finalization rounds */
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
