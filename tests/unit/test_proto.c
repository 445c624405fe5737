// SPDX-License-Identifier: LGPL-2.1-or-later
/* TAP tests of the wire protocol (common/proto.c) and the vfile table. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "cleanup.h"
#include "io.h"
#include "proto.h"
#include "tap.h"
#include "vfile.h"

struct pair {
	int w, r; /* writer end, reader end */
};

/* A whole frame written at once: what the front's output queue does. */
static int proto_send(int fd, uint16_t type, uint32_t flags, uint64_t id, const void *payload,
		      size_t len)
{
	struct buf b =
	    BUF_INIT(sizeof(struct proto_hdr) + sizeof(struct proto_reply) + PROTO_MAX_PAYLOAD);
	int r = proto_frame(&b, type, flags, id, payload, len);

	if (r == 0)
		r = write_full(fd, b.data, b.len);
	buf_free(&b);
	return r;
}

static void pair_open(struct pair *p)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("socketpair");
		exit(99);
	}
	p->w = sv[0];
	p->r = sv[1];
}

static void pair_close(struct pair *p)
{
	if (p->w >= 0)
		close(p->w);
	if (p->r >= 0)
		close(p->r);
	p->w = p->r = -1;
}

static struct proto_node_req node_req(uint32_t pid, uint64_t node)
{
	struct proto_node_req q;

	memset(&q, 0, sizeof(q));
	q.caller.pid = pid;
	q.caller.uid = 1000;
	q.caller.gid = 1001;
	q.node = node;
	return q;
}

static struct proto_hdr hdr(uint16_t type, uint32_t len)
{
	struct proto_hdr h = { .version = PROTO_VERSION, .type = type, .id = 5, .len = len };

	return h;
}

/* Send a raw header (and len zero bytes of payload) and feed it. */
static int feed_raw(struct proto_hdr h, size_t payload, bool expect_reply)
{
	struct proto_reader rd;
	struct pair p;
	_cleanup_free_ char *zero = calloc(1, payload + 1);
	int r;

	pair_open(&p);
	proto_reader_init(&rd, expect_reply);
	if (write_full(p.w, &h, sizeof(h)) < 0 || write_full(p.w, zero, payload) < 0)
		r = -EIO;
	else
		r = proto_reader_feed(&rd, p.r);
	proto_reader_free(&rd);
	pair_close(&p);
	return r;
}

static void test_roundtrip_blocking(void)
{
	struct proto_node_req q = node_req(4242, VFILE_PROC_MEMINFO), got;
	struct proto_lookup_req lq;
	struct proto_reader rd;
	struct pair p;

	pair_open(&p);
	proto_reader_init(&rd, false);
	is_int(
	    proto_send(p.w, PROTO_READ_VFILE, PROTO_F_RESENT, 0x1122334455667788ull, &q, sizeof(q)),
	    0, "send READ_VFILE");
	is_int(proto_reader_feed(&rd, p.r), 1, "blocking feed returns a whole frame");
	is_int(rd.hdr.version, PROTO_VERSION, "version");
	is_int(rd.hdr.type, PROTO_READ_VFILE, "type");
	is_int(rd.hdr.flags, PROTO_F_RESENT, "flags");
	ok(rd.hdr.id == 0x1122334455667788ull, "64-bit id kept");
	is_int(rd.hdr.len, 24, "len is the node request size");
	is_int(rd.payload.len, 24, "payload length");
	memcpy(&got, rd.payload.data, sizeof(got));
	ok(got.caller.pid == 4242 && got.caller.uid == 1000 && got.caller.gid == 1001 &&
	       got.node == VFILE_PROC_MEMINFO,
	   "payload decoded as sent");
	proto_reader_next(&rd);

	memset(&lq, 0, sizeof(lq));
	lq.caller.pid = 7;
	lq.parent = VFILE_SYS_CPU;
	strcpy(lq.name, "cpu0");
	is_int(proto_send(p.w, PROTO_LOOKUP, 0, 9, &lq, sizeof(lq)), 0, "send LOOKUP");
	is_int(proto_reader_feed(&rd, p.r), 1, "second frame on the same reader");
	is_int(rd.hdr.type, PROTO_LOOKUP, "LOOKUP type");
	is_int(rd.hdr.len, 280, "LOOKUP size");
	ok(rd.payload.len == sizeof(lq) && memcmp(rd.payload.data, &lq, sizeof(lq)) == 0,
	   "LOOKUP payload byte for byte");
	ok(proto_name_valid(((struct proto_lookup_req *)rd.payload.data)->name),
	   "received name is valid");
	proto_reader_free(&rd);

	close(p.w);
	p.w = -1;
	proto_reader_init(&rd, false);
	is_int(proto_reader_feed(&rd, p.r), -EPIPE, "peer closed: -EPIPE");
	proto_reader_free(&rd);
	pair_close(&p);
}

static void test_nonblocking_split(void)
{
	struct proto_node_req q = node_req(99, VFILE_PROC_UPTIME);
	_cleanup_buf_ struct buf frame = BUF_INIT(1 << 16);
	struct proto_reader rd;
	struct pair p;
	int r = 0, early = 0;

	pair_open(&p);
	fd_set_nonblock(p.r, 1);
	proto_reader_init(&rd, false);
	is_int(proto_reader_feed(&rd, p.r), 0, "non-blocking, nothing sent: 0");
	is_int(proto_frame(&frame, PROTO_GETATTR, 0, 77, &q, sizeof(q)), 0, "proto_frame");
	is_int(frame.len, 48, "frame is header + payload");
	for (size_t i = 0; i < frame.len; i++) {
		if (write(p.w, frame.data + i, 1) != 1)
			break;
		r = proto_reader_feed(&rd, p.r);
		if (i + 1 < frame.len && r != 0)
			early++;
	}
	is_int(early, 0, "1-byte writes: 0 (need more) until the last byte");
	is_int(r, 1, "the last byte completes the frame");
	ok(rd.hdr.type == PROTO_GETATTR && rd.hdr.id == 77 && rd.payload.len == sizeof(q) &&
	       memcmp(rd.payload.data, &q, sizeof(q)) == 0,
	   "frame from 1-byte writes decodes as sent");
	proto_reader_next(&rd);
	is_int(proto_reader_feed(&rd, p.r), 0, "after next(): nothing pending");

	/* two frames in one write */
	buf_reset(&frame);
	proto_frame(&frame, PROTO_READ_DIR, 0, 1, &q, sizeof(q));
	proto_frame(&frame, PROTO_READ_VFILE, 0, 2, &q, sizeof(q));
	is_int(write_full(p.w, frame.data, frame.len), 0, "write two frames at once");
	is_int(proto_reader_feed(&rd, p.r), 1, "first of two frames");
	ok(rd.hdr.type == PROTO_READ_DIR && rd.hdr.id == 1, "first frame's header");
	proto_reader_next(&rd);
	is_int(proto_reader_feed(&rd, p.r), 1, "second of two frames");
	ok(rd.hdr.type == PROTO_READ_VFILE && rd.hdr.id == 2, "second frame's header");
	proto_reader_next(&rd);

	/* half a header, then the peer goes away */
	is_int(write_full(p.w, frame.data, 10), 0, "write half a header");
	is_int(proto_reader_feed(&rd, p.r), 0, "half a header: need more");
	close(p.w);
	p.w = -1;
	is_int(proto_reader_feed(&rd, p.r), -EPIPE, "peer closed mid-frame: -EPIPE");
	proto_reader_free(&rd);
	pair_close(&p);
}

static void test_sizes(void)
{
	struct proto_hdr h;

	is_int(proto_request_size(PROTO_READ_VFILE), 24, "READ_VFILE size");
	is_int(proto_request_size(PROTO_READ_DIR), 24, "READ_DIR size");
	is_int(proto_request_size(PROTO_GETATTR), 24, "GETATTR size");
	is_int(proto_request_size(PROTO_LOOKUP), 280, "LOOKUP size");
	is_int(proto_request_size(PROTO_REPLY), 0, "REPLY is not a request");
	is_int(proto_request_size(99), 0, "unknown type has no size");
	is_str(proto_type_name(PROTO_LOOKUP), "LOOKUP", "type name");
	is_str(proto_type_name(1234), "UNKNOWN", "unknown type name");

	h = hdr(PROTO_READ_VFILE, 24);
	is_int(proto_check_hdr(&h, false), 0, "READ_VFILE with 24 bytes ok");
	h.len = 23;
	is_int(proto_check_hdr(&h, false), -EPROTO, "READ_VFILE with 23 bytes rejected");
	h.len = 25;
	is_int(proto_check_hdr(&h, false), -EPROTO, "READ_VFILE with 25 bytes rejected");
	h = hdr(PROTO_LOOKUP, 279);
	is_int(proto_check_hdr(&h, false), -EPROTO, "LOOKUP with 279 bytes rejected");
	h = hdr(PROTO_GETATTR, 280);
	is_int(proto_check_hdr(&h, false), -EPROTO, "GETATTR with LOOKUP's size rejected");
	is_int(feed_raw(hdr(PROTO_READ_VFILE, 23), 23, false), -EPROTO,
	       "reader: READ_VFILE with 23 bytes -EPROTO");
	is_int(feed_raw(hdr(PROTO_READ_VFILE, 25), 25, false), -EPROTO,
	       "reader: READ_VFILE with 25 bytes -EPROTO");
	is_int(feed_raw(hdr(PROTO_READ_DIR, 24), 24, false), 1,
	       "reader: READ_DIR with 24 bytes ok");
}

static void test_bad_headers(void)
{
	struct proto_hdr h;

	h = hdr(99, 24);
	is_int(proto_check_hdr(&h, false), -EPROTO, "unknown type rejected");
	h = hdr(0, 0);
	is_int(proto_check_hdr(&h, false), -EPROTO, "type 0 with len 0 rejected");
	h = hdr(99, 0);
	is_int(proto_check_hdr(&h, false), -EPROTO, "unknown type with len 0 rejected");
	h = hdr(PROTO_REPLY, 8);
	is_int(proto_check_hdr(&h, false), -EPROTO, "a reply where a request is expected");
	h = hdr(PROTO_READ_VFILE, 24);
	is_int(proto_check_hdr(&h, true), -EPROTO, "a request where a reply is expected");
	h.version = 0;
	is_int(proto_check_hdr(&h, false), -EPROTO, "version 0 rejected");
	h.version = PROTO_VERSION + 1;
	is_int(proto_check_hdr(&h, false), -EPROTO, "next version rejected");
	h = hdr(PROTO_READ_VFILE, 24);
	h.reserved = 1;
	is_int(proto_check_hdr(&h, false), -EPROTO, "non-zero reserved rejected");
	h = hdr(PROTO_READ_VFILE, 24);
	h.flags = 1u << 1;
	is_int(proto_check_hdr(&h, false), -EPROTO, "unknown flag rejected");
	h.flags = 1u << 31;
	is_int(proto_check_hdr(&h, false), -EPROTO, "high unknown flag rejected");
	h.flags = PROTO_F_RESENT;
	is_int(proto_check_hdr(&h, false), 0, "RESENT flag accepted");
	is_int(feed_raw(hdr(99, 24), 24, false), -EPROTO, "reader: unknown type -EPROTO");
	h = hdr(PROTO_READ_VFILE, 24);
	h.reserved = 0xdead;
	is_int(feed_raw(h, 24, false), -EPROTO, "reader: non-zero reserved -EPROTO");

	h = hdr(PROTO_REPLY, sizeof(struct proto_reply) + PROTO_MAX_PAYLOAD);
	is_int(proto_check_hdr(&h, true), 0, "largest reply accepted");
	h.len++;
	is_int(proto_check_hdr(&h, true), -EPROTO, "reply one byte over the cap rejected");
	h.len = UINT32_MAX;
	is_int(proto_check_hdr(&h, true), -EPROTO, "4 GiB reply rejected");
	is_int(feed_raw(h, 0, true), -EPROTO, "reader: oversized reply rejected from its header");
	h.len = 7;
	is_int(proto_check_hdr(&h, true), -EPROTO, "reply shorter than its status rejected");
	is_int(proto_send(-1, PROTO_REPLY, 0, 1, NULL,
			  sizeof(struct proto_reply) + PROTO_MAX_PAYLOAD + 1),
	       -EMSGSIZE, "proto_frame refuses an oversized frame");
	is_int(proto_send_reply(-1, 1, 0, NULL, PROTO_MAX_PAYLOAD + 1), -EMSGSIZE,
	       "proto_send_reply refuses oversized data");
}

static void test_reply(void)
{
	struct proto_reader rd;
	struct proto_reply rep;
	struct pair p;

	pair_open(&p);
	proto_reader_init(&rd, true);
	is_int(proto_send_reply(p.w, 31, 0, "hello\n", 6), 0, "send a data reply");
	is_int(proto_reader_feed(&rd, p.r), 1, "reply received");
	ok(rd.hdr.type == PROTO_REPLY && rd.hdr.id == 31 && rd.hdr.flags == 0, "reply header");
	is_int(rd.hdr.len, 14, "reply len = status + data");
	memcpy(&rep, rd.payload.data, sizeof(rep));
	is_int(rep.status, 0, "status 0");
	is_int(rep.reserved, 0, "reply reserved is zero");
	ok(memcmp(rd.payload.data + sizeof(rep), "hello\n", 6) == 0, "reply data");
	proto_reader_next(&rd);

	is_int(proto_send_reply(p.w, 32, -ENOENT, "ignored", 7), 0, "send an error reply");
	is_int(proto_reader_feed(&rd, p.r), 1, "error reply received");
	is_int(rd.hdr.len, 8, "an error reply carries no data");
	memcpy(&rep, rd.payload.data, sizeof(rep));
	is_int(rep.status, -ENOENT, "status -ENOENT");
	proto_reader_next(&rd);

	is_int(proto_send_reply(p.w, 33, 0, NULL, 0), 0, "send an empty reply");
	is_int(proto_reader_feed(&rd, p.r), 1, "empty reply received");
	ok(rd.hdr.id == 33 && rd.hdr.len == 8 && rd.payload.len == 8, "empty reply is status only");
	proto_reader_free(&rd);
	pair_close(&p);
}

/* A 4 MiB reply (a cpuinfo of thousands of CPUs) crosses a stream socket
 * whole: the writer blocks on a full socket buffer, the non-blocking
 * reader takes it in many pieces; nothing is cut or padded. */
static void test_large_reply(void)
{
	const size_t n = 4u << 20;
	char *big = malloc(n);
	struct proto_reader rd;
	int sv[2], r = 0, rounds = 0;
	pid_t pid;

	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 23);
	ok(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0,
	   "socketpair for a large reply");
	pid = fork();
	if (pid == 0) {
		int rc;

		close(sv[0]);
		rc = proto_send_reply(sv[1], 77, 0, big, n) == 0 ? 0 : 1;
		free(big);
		_exit(rc);
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	proto_reader_init(&rd, true);
	while (r == 0) {
		struct pollfd pfd = { .fd = sv[0], .events = POLLIN };

		poll(&pfd, 1, 5000);
		r = proto_reader_feed(&rd, sv[0]);
		rounds++;
	}
	is_int(r, 1, "a 4 MiB reply arrives (in %d polls)", rounds);
	is_int(rd.hdr.len, (int)(n + sizeof(struct proto_reply)), "its length is exact");
	ok(rd.payload.len == n + sizeof(struct proto_reply) &&
	       memcmp(rd.payload.data + sizeof(struct proto_reply), big, n) == 0,
	   "every byte arrives, in order");
	waitpid(pid, &r, 0);
	ok(WIFEXITED(r) && WEXITSTATUS(r) == 0, "the writer finished");
	proto_reader_free(&rd);
	close(sv[0]);
	free(big);
}

static void set_name(char name[PROTO_NAME_MAX], const char *s, size_t n)
{
	memset(name, 0, PROTO_NAME_MAX);
	memcpy(name, s, n);
}

static void test_names(void)
{
	char name[PROTO_NAME_MAX];
	char long_name[PROTO_NAME_MAX];

	set_name(name, "", 0);
	ok(!proto_name_valid(name), "empty name invalid");
	memset(name, 'a', sizeof(name));
	ok(!proto_name_valid(name), "name without NUL invalid");
	set_name(name, "a/b", 3);
	ok(!proto_name_valid(name), "name with '/' invalid");
	set_name(name, "/", 1);
	ok(!proto_name_valid(name), "\"/\" invalid");
	set_name(name, ".", 1);
	ok(!proto_name_valid(name), "\".\" invalid");
	set_name(name, "..", 2);
	ok(!proto_name_valid(name), "\"..\" invalid");
	set_name(name, "...", 3);
	ok(proto_name_valid(name), "\"...\" valid");
	set_name(name, "cpu0\0x", 6);
	ok(!proto_name_valid(name), "garbage after the NUL invalid");
	set_name(name, "cpu0", 4);
	name[PROTO_NAME_MAX - 1] = 'z';
	ok(!proto_name_valid(name), "garbage in the last byte invalid");
	set_name(name, "cpu0", 4);
	ok(proto_name_valid(name), "plain name valid");
	memset(long_name, 'n', PROTO_NAME_MAX - 1);
	set_name(name, long_name, PROTO_NAME_MAX - 1);
	ok(proto_name_valid(name), "255-character name valid");
}

/* A dirent by hand: header + name bytes + padding. */
static size_t raw_dirent(char *out, uint16_t namelen, uint16_t reserved, const char *name,
			 size_t namebytes)
{
	struct proto_dirent e = {
		.node = 5, .mode = 0100444, .namelen = namelen, .reserved = reserved
	};
	size_t n = sizeof(e) + ((namebytes + 7) & ~(size_t)7);

	memset(out, 0, n);
	memcpy(out, &e, sizeof(e));
	memcpy(out + sizeof(e), name, namebytes);
	return n;
}

static void test_dirents(void)
{
	_cleanup_buf_ struct buf b = BUF_INIT(1 << 16);
	char name255[256], raw[512];
	struct proto_dirent e;
	const char *name = NULL;
	size_t off = 0, n;

	memset(name255, 'x', 255);
	name255[255] = '\0';
	is_int(proto_dirent_add(&b, 11, 040555, "a"), 0, "add a 1-byte name");
	is_int(proto_dirent_add(&b, 12, 0100444, "12345678"), 0, "add an 8-byte name");
	is_int(proto_dirent_add(&b, VFILE_HOSTNODE_BIT | 13, 0100444, "name with spaces é"), 0,
	       "add a name with spaces and UTF-8");
	is_int(proto_dirent_add(&b, 14, 0100444, name255), 0, "add a 255-byte name");
	is_int(proto_dirent_add(&b, 15, 0100444, ""), -ENAMETOOLONG, "empty name refused");
	is_int(b.len, 24 + 24 + 16 + 24 + 16 + 256, "entries are padded to 8 bytes");

	is_int(proto_dirent_next(b.data, b.len, &off, &e, &name), 1, "first entry");
	ok(e.node == 11 && e.mode == 040555 && e.namelen == 1 && memcmp(name, "a", 1) == 0,
	   "first entry's fields");
	is_int(off, 24, "offset after the first entry");
	is_int(proto_dirent_next(b.data, b.len, &off, &e, &name), 1, "second entry");
	ok(e.node == 12 && e.namelen == 8 && memcmp(name, "12345678", 8) == 0,
	   "8-byte name needs no padding");
	is_int(proto_dirent_next(b.data, b.len, &off, &e, &name), 1, "third entry");
	ok(e.node == (VFILE_HOSTNODE_BIT | 13) && e.namelen == strlen("name with spaces é") &&
	       memcmp(name, "name with spaces é", e.namelen) == 0,
	   "third entry's node and name");
	is_int(proto_dirent_next(b.data, b.len, &off, &e, &name), 1, "fourth entry");
	ok(e.namelen == 255 && memcmp(name, name255, 255) == 0, "255-byte name round trip");
	is_int(proto_dirent_next(b.data, b.len, &off, &e, &name), 0, "end of the listing");
	is_int(off, b.len, "offset at the end");

	off = 0;
	is_int(proto_dirent_next(b.data, 23, &off, &e, &name), -EPROTO, "truncated entry");
	off = 0;
	is_int(proto_dirent_next(b.data, 10, &off, &e, &name), -EPROTO, "truncated header");
	off = 48;
	is_int(proto_dirent_next(b.data, 48 + 16 + 8, &off, &e, &name), -EPROTO, "name cut short");
	off = b.len + 8;
	is_int(proto_dirent_next(b.data, b.len, &off, &e, &name), -EPROTO, "offset past the end");

	n = raw_dirent(raw, 0, 0, "", 0);
	off = 0;
	is_int(proto_dirent_next(raw, n, &off, &e, &name), -EPROTO, "namelen 0 rejected");
	n = raw_dirent(raw, 3, 0, "a\0b", 3);
	off = 0;
	is_int(proto_dirent_next(raw, n, &off, &e, &name), -EPROTO, "NUL in a name rejected");
	n = raw_dirent(raw, 3, 0, "a/b", 3);
	off = 0;
	is_int(proto_dirent_next(raw, n, &off, &e, &name), -EPROTO, "'/' in a name rejected");
	n = raw_dirent(raw, 3, 1, "abc", 3);
	off = 0;
	is_int(proto_dirent_next(raw, n, &off, &e, &name), -EPROTO, "non-zero reserved rejected");
	n = raw_dirent(raw, 256, 0, name255, 256);
	off = 0;
	is_int(proto_dirent_next(raw, n, &off, &e, &name), -EPROTO, "namelen 256 rejected");
	n = raw_dirent(raw, 3, 0, "abc", 3);
	off = 0;
	is_int(proto_dirent_next(raw, n, &off, &e, &name), 1, "hand-built entry accepted");
	is_int(proto_dirent_next(raw, n - 1, &(size_t){ 0 }, &e, &name), -EPROTO,
	       "missing padding byte rejected");
}

/* PSI_ARM and PSI_DISARM have their exact sizes; a PSI_EVENT frame comes
 * only to the front, with exactly its 16 bytes, id 0 and no flag; it
 * arrives whole through the reader and says what proto_send_psi_event()
 * wrote. */
static void test_psi_frames(void)
{
	struct proto_psi_event ev;
	struct proto_reader rd;
	struct proto_hdr h;
	struct pair p;

	is_int(proto_request_size(PROTO_PSI_ARM), 48, "PSI_ARM size");
	is_int(proto_request_size(PROTO_PSI_DISARM), 24, "PSI_DISARM size");
	is_int(proto_request_size(PROTO_PSI_EVENT), 0, "PSI_EVENT is not a request");
	is_str(proto_type_name(PROTO_PSI_EVENT), "PSI_EVENT", "PSI_EVENT's name");
	h = hdr(PROTO_PSI_ARM, 48);
	is_int(proto_check_hdr(&h, false), 0, "PSI_ARM with 48 bytes ok");
	h.len = 47;
	is_int(proto_check_hdr(&h, false), -EPROTO, "PSI_ARM with 47 bytes rejected");
	h = hdr(PROTO_PSI_DISARM, 48);
	is_int(proto_check_hdr(&h, false), -EPROTO, "PSI_DISARM with PSI_ARM's size rejected");
	h = hdr(PROTO_PSI_EVENT, 16);
	is_int(proto_check_hdr(&h, false), -EPROTO, "the collector takes no PSI_EVENT");
	h.id = 0;
	is_int(proto_check_hdr(&h, false), -EPROTO, "the collector takes no PSI_EVENT, id 0 too");
	is_int(proto_check_hdr(&h, true), 0, "the front takes a PSI_EVENT of 16 bytes, id 0");
	h.id = 5;
	is_int(proto_check_hdr(&h, true), -EPROTO, "a PSI_EVENT with an id rejected");
	h = hdr(PROTO_PSI_EVENT, 24);
	h.id = 0;
	is_int(proto_check_hdr(&h, true), -EPROTO, "a PSI_EVENT of 24 bytes rejected");
	h.len = 16;
	h.flags = PROTO_F_RESENT;
	is_int(proto_check_hdr(&h, true), -EPROTO, "a PSI_EVENT with a flag rejected");

	pair_open(&p);
	proto_reader_init(&rd, true);
	is_int(proto_send_psi_event(p.w, 0x1234567800000009ULL, -ENODEV), 0, "event sent");
	is_int(proto_reader_feed(&rd, p.r), 1, "the front's reader has the event whole");
	memcpy(&ev, rd.payload.data, sizeof(ev));
	ok(rd.hdr.type == PROTO_PSI_EVENT && rd.hdr.len == 16 && rd.hdr.id == 0 &&
	       ev.trigger == 0x1234567800000009ULL && ev.status == -ENODEV && ev.reserved == 0,
	   "the event's trigger and status arrive as sent");
	proto_reader_free(&rd);
	pair_close(&p);
}

/* The numbers of a trigger: what the collector accepts from the front. */
static void test_psi_spec(void)
{
	static const struct {
		struct proto_psi_spec s;
		bool valid;
		const char *what;
	} cases[] = {
		{ { PROTO_PSI_SOME, 150000, 1000000, 0 }, true, "some 150 ms in 1 s" },
		{ { PROTO_PSI_FULL, 1, 500000, 0 }, true, "full 1 us in the shortest window" },
		{ { PROTO_PSI_SOME, 10000000, 10000000, 0 }, true, "threshold = longest window" },
		{ { PROTO_PSI_SOME, 0, 1000000, 0 }, false, "threshold 0" },
		{ { PROTO_PSI_SOME, 1000001, 1000000, 0 }, false, "threshold over the window" },
		{ { PROTO_PSI_SOME, 1000, 499999, 0 }, false, "window under 500 ms" },
		{ { PROTO_PSI_SOME, 1000, 10000001, 0 }, false, "window over 10 s" },
		{ { 2, 1000, 1000000, 0 }, false, "kind 2" },
		{ { PROTO_PSI_SOME, 1000, 1000000, 1 }, false, "reserved not 0" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		is_int(proto_psi_spec_valid(&cases[i].s), cases[i].valid, "spec: %s",
		       cases[i].what);
}

static void test_vfile(void)
{
	const struct vfile *v;
	unsigned pos = 0, bad = 0;
	char want[256];

	is_int(vfile_table_check(), 0, "vfile_table_check");
	v = vfile_lookup(VFILE_ROOT, "proc");
	ok(v && v->id == VFILE_PROC, "lookup proc in the root");
	v = vfile_lookup(VFILE_PROC, "meminfo");
	ok(v && v->id == VFILE_PROC_MEMINFO && v->kind == VFILE_FILE, "lookup proc/meminfo");
	ok(vfile_lookup(VFILE_PROC, "nope") == NULL, "lookup of a missing name");
	ok(vfile_lookup(VFILE_PROC_MEMINFO, "x") == NULL, "a file has no children");
	v = vfile_lookup(VFILE_SYS_CPU, "online");
	ok(v && v->id == VFILE_SYS_CPU_ONLINE, "lookup sys/devices/system/cpu/online");
	is_str(vfile_next_child(VFILE_ROOT, &pos)->name, "proc", "first child of the root");
	is_str(vfile_next_child(VFILE_ROOT, &pos)->name, "sys", "second child of the root");
	is_str(vfile_next_child(VFILE_ROOT, &pos)->name, "cgroup", "third child of the root");
	ok(vfile_next_child(VFILE_ROOT, &pos) == NULL, "the root has three children");
	ok(vfile_next_child(VFILE_ROOT, &pos) == NULL, "iteration stays at the end");
	pos = 0;
	for (int i = 0; i < 4; i++)
		vfile_next_child(VFILE_SYS_CPU, &pos);
	ok(vfile_next_child(VFILE_SYS_CPU, &pos) == NULL, "sys/devices/system/cpu has 4 files");
	ok(vfile_get(0) == NULL && vfile_get(VFILE_COUNT) == NULL, "vfile_get out of range");
	ok(vfile_get(VFILE_HOSTNODE_BIT | VFILE_PROC) == NULL, "vfile_get of a host node");
	ok(vfile_is_hostnode(VFILE_HOSTNODE_BIT | 3) && !vfile_is_hostnode(3), "host node bit");
	is_int(vfile_get(VFILE_ROOT)->parent, VFILE_ROOT, "the root is its own parent");
	for (unsigned i = VFILE_ROOT + 1; i < VFILE_COUNT; i++) {
		const struct vfile *e = &vfile_table[i], *parent = vfile_get(e->parent);

		if (parent->path[0])
			snprintf(want, sizeof(want), "%s/%s", parent->path, e->name);
		else
			snprintf(want, sizeof(want), "%s", e->name);
		if (strcmp(e->path, want) != 0) {
			diag("path %s, expected %s", e->path, want);
			bad++;
		}
	}
	is_int(bad, 0, "every path is parent path + \"/\" + name");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_roundtrip_blocking();
	test_nonblocking_split();
	test_sizes();
	test_bad_headers();
	test_reply();
	test_large_reply();
	test_names();
	test_dirents();
	test_psi_frames();
	test_psi_spec();
	test_vfile();
	return done_testing();
}
