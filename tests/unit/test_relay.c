// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests of supervisor/relay.c: what the root supervisor accepts from
 * children that may be compromised.  Log lines get their priority clamped
 * to LOG_ERR and their bytes escaped; control messages must match the
 * table (kind, length, once per front), anything else closes the control
 * socket and kills the front.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "control.h"
#include "io.h"
#include "super.h"
#include "tap.h"
#include "testfs.h"

static int ready_calls;

/* main.c's, which this test does not link */
void report_ready(struct super *s, bool ok)
{
	ready_calls++;
}

/* ---- log lines ---- */

static int captured_fd = -1;

/* Send stderr (where LOG_SINK_STDERR writes) to a pipe we read back. */
static void capture_stderr(void)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0 || dup2(p[1], STDERR_FILENO) < 0)
		die("pipe");
	close(p[1]);
	captured_fd = p[0];
}

static char captured[8192];

static const char *read_captured(void)
{
	ssize_t n = read(captured_fd, captured, sizeof(captured) - 1);

	captured[n > 0 ? n : 0] = '\0';
	return captured;
}

/* Relay what a child wrote (bytes, with embedded NULs allowed). */
static const char *relay(const char *bytes, size_t len, bool debug)
{
	struct child c = { .name = "front", .tag = "[fuse]", .log_fd = -1 };
	int p[2];

	log_init("[super]", LOG_SINK_STDERR, debug);
	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe");
	if (write(p[1], bytes, len) != (ssize_t)len)
		die("write");
	close(p[1]);
	c.log_fd = p[0];
	relay_logs(&c); /* reads to EOF, then closes log_fd */
	ok(c.log_fd == -1, "the log pipe is closed at EOF");
	return read_captured();
}

static void test_log_lines(void)
{
	static const char nul_line[] = "<6>a\0b\n";
	char longline[LOG_TEXT_MAX * 2 + 2];

	is_str(relay("<6>hello\n", 9, false), "lxcfs[fuse] hello\n",
	       "a line is relayed under the child's tag");
	is_str(relay("<3>[super] forged\n", 18, false), "lxcfs[fuse] [super] forged\n",
	       "a child cannot log under the supervisor's tag");
	is_str(relay("<0>emergency\n", 13, false), "lxcfs[fuse] emergency\n",
	       "LOG_EMERG from a child is relayed (clamped, see the syslog case)");
	is_str(relay("<7>debug\n", 9, false), "", "debug lines are dropped without -d");
	is_str(relay("<7>debug\n", 9, true), "lxcfs[fuse] debug\n", "debug lines pass with -d");
	is_str(relay("plain\n", 6, false), "lxcfs[fuse] plain\n", "a line without a prefix");
	is_str(relay("<6>\033[2Jtab\there\\\n", 18, false),
	       "lxcfs[fuse] \\033[2Jtab\\011here\\134\n",
	       "escapes, tabs and backslashes are written as octal");
	is_str(relay(nul_line, sizeof(nul_line) - 1, false), "lxcfs[fuse] a\\000b\n",
	       "a NUL inside a line does not cut it");
	is_str(relay("<6>\xc3\xa9\n", 6, false), "lxcfs[fuse] \\303\\251\n",
	       "non-ASCII bytes are escaped");
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 2] = '\n';
	relay(longline, sizeof(longline) - 1, false);
	{
		int lines = 0;

		for (const char *p = captured; *p; p++)
			lines += *p == '\n';
		is_int(lines, 3, "an overlong line is relayed in pieces");
	}
}

static void test_clamp_syslog_prio(void)
{
	/* the clamp itself: what relay_line gives log_emit_as, seen through
	 * the relay sink, which prints the priority */
	struct child c = { .name = "front", .tag = "[fuse]", .log_fd = -1 };
	int p[2];

	log_init("[super]", LOG_SINK_RELAY, false);
	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe");
	if (write(p[1], "<0>x\n<2>y\n<4>z\n", 15) != 15)
		die("write");
	close(p[1]);
	c.log_fd = p[0];
	relay_logs(&c);
	is_str(read_captured(), "<3>x\n<3>y\n<4>z\n",
	       "priorities above LOG_ERR are clamped to LOG_ERR; lower ones kept");
	log_init("[super]", LOG_SINK_STDERR, false);
}

/* ---- control messages ---- */

struct ctl {
	struct super s;
	int peer; /* the front's end */
	pid_t front;
};

static void ctl_open(struct ctl *t, bool takeover)
{
	int sv[2];

	memset(t, 0, sizeof(*t));
	/* a stand-in for the front's pid, forked before the socketpair exists
	 * so that closing peer is an EOF for the supervisor's end */
	t->front = fork();
	if (t->front < 0)
		die("fork");
	if (t->front == 0) {
		pause();
		_exit(0);
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	fd_set_nonblock(sv[0], 1);
	t->s.ctl_fd = sv[0];
	t->s.ready_pipe = -1;
	t->s.fused_takeover = takeover;
	t->s.have_init = takeover;
	t->peer = sv[1];
	t->s.fused.pid = t->front;
	t->s.fused.name = "front";
}

/* Was the front killed?  Reaps it either way. */
static bool ctl_close(struct ctl *t)
{
	int status = 0;
	bool killed;

	if (waitpid(t->front, &status, WNOHANG) == 0) {
		kill(t->front, SIGTERM);
		waitpid(t->front, &status, 0);
		killed = false;
	} else {
		killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	}
	if (t->s.ctl_fd >= 0)
		close(t->s.ctl_fd);
	close(t->peer);
	return killed;
}

static void send_msg(struct ctl *t, uint32_t kind, uint32_t len, uint32_t reserved)
{
	struct control_msg m = {
		.magic = CONTROL_MAGIC, .kind = kind, .len = len, .reserved = reserved
	};

	if (send_fd(t->peer, -1, &m, sizeof(m)) < 0)
		die("send");
}

static void test_control_ok(void)
{
	struct ctl t;

	ctl_open(&t, false);
	ready_calls = 0;
	send_msg(&t, CONTROL_READY, 0, 0);
	is_int(relay_control(&t.s), 1, "READY is accepted");
	ok(t.s.fused_ready && ready_calls == 1, "READY marks the front serving");
	send_msg(&t, CONTROL_INIT, 104, 0);
	is_int(relay_control(&t.s), 1, "the first front's INIT is accepted");
	ok(t.s.have_init && t.s.init.len == 104, "and stored");
	is_int(relay_control(&t.s), 0, "no message: 0");
	ok(t.s.ctl_fd >= 0, "the channel stays open");
	ok(!ctl_close(&t), "a well-behaved front is left alone");
}

/* One violation: the channel closes and the front is killed. */
static void violation(bool takeover, void (*send)(struct ctl *), const char *what)
{
	struct ctl t;

	ctl_open(&t, takeover);
	send(&t);
	while (t.s.ctl_fd >= 0 && relay_control(&t.s) > 0)
		;
	ok(t.s.ctl_fd == -1, "%s: the control socket is closed", what);
	usleep(50000);
	ok(ctl_close(&t), "%s: the front is killed", what);
}

static void send_ready_twice(struct ctl *t)
{
	send_msg(t, CONTROL_READY, 0, 0);
	send_msg(t, CONTROL_READY, 0, 0);
}

static void send_init_twice(struct ctl *t)
{
	send_msg(t, CONTROL_INIT, 104, 0);
	send_msg(t, CONTROL_INIT, 104, 0);
}

static void send_init(struct ctl *t)
{
	send_msg(t, CONTROL_INIT, 104, 0);
}

static void send_unknown(struct ctl *t)
{
	send_msg(t, 99, 0, 0);
}

static void send_new_channel(struct ctl *t)
{
	send_msg(t, CONTROL_NEW_CHANNEL, 0, 0); /* supervisor -> front only */
}

static void send_ready_with_data(struct ctl *t)
{
	send_msg(t, CONTROL_READY, 4, 0);
}

static void send_init_too_long(struct ctl *t)
{
	send_msg(t, CONTROL_INIT, CONTROL_INIT_MAX + 1, 0);
}

static void send_reserved(struct ctl *t)
{
	send_msg(t, CONTROL_READY, 0, 1);
}

static void send_short(struct ctl *t)
{
	struct control_msg m = { .magic = CONTROL_MAGIC, .kind = CONTROL_READY };

	if (send_fd(t->peer, -1, &m, 16) < 0)
		die("send");
}

static void send_bad_magic(struct ctl *t)
{
	struct control_msg m = { .magic = 1, .kind = CONTROL_READY };

	if (send_fd(t->peer, -1, &m, sizeof(m)) < 0)
		die("send");
}

static void test_control_violations(void)
{
	violation(false, send_ready_twice, "a repeated READY");
	violation(false, send_init_twice, "a repeated INIT");
	violation(true, send_init, "an INIT from a front that took over");
	violation(false, send_unknown, "an unknown kind");
	violation(false, send_new_channel, "a kind only the supervisor sends");
	violation(false, send_ready_with_data, "READY with data");
	violation(false, send_init_too_long, "an INIT longer than the field");
	violation(false, send_reserved, "a reserved field set");
	violation(false, send_short, "a short packet");
	violation(false, send_bad_magic, "a bad magic");
}

static void test_control_eof(void)
{
	struct ctl t;

	ctl_open(&t, false);
	close(t.peer);
	t.peer = open("/dev/null", O_RDONLY | O_CLOEXEC);
	is_int(relay_control(&t.s), 0, "the front closed its end: 0");
	ok(t.s.ctl_fd == -1, "and the socket is closed");
	ok(!ctl_close(&t), "a front that merely exits is not killed");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	capture_stderr();
	test_log_lines();
	test_clamp_syslog_prio();
	test_control_ok();
	test_control_violations();
	test_control_eof();
	return done_testing();
}
