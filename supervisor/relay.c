// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the supervisor takes from its children, who may be compromised:
 * the lines they write to their log pipes and the front's control
 * messages.  OpenSSH's monitor is the model: a relayed line gets its
 * priority clamped and its bytes escaped (monitor_read_log), and a control
 * message must match a row of a small table (mon_table): an unknown,
 * malformed or repeated one ends that child.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "io.h"
#include "super.h"

/* ---- log lines ---- */

/*
 * "<N>text" -> priority N (no prefix: LOG_INFO), never above LOG_ERR: a
 * child cannot make syslog broadcast LOG_EMERG to every terminal.  Bytes
 * that are not printable ASCII, and the backslash itself, become \ooo
 * (strnvis(3) with VIS_OCTAL), so a line can neither forge a new line nor
 * carry terminal escapes.
 */
static void relay_line(const struct child *c, const char *line, size_t len)
{
	char text[LOG_TEXT_MAX];
	size_t o = 0;
	int prio = LOG_INFO;

	if (len >= 3 && line[0] == '<' && line[1] >= '0' && line[1] <= '7' && line[2] == '>') {
		prio = line[1] - '0';
		line += 3;
		len -= 3;
	}
	if (prio < LOG_ERR)
		prio = LOG_ERR;
	if (prio == LOG_DEBUG && !log_debug_enabled())
		return;
	for (size_t i = 0; i < len && o + 5 < sizeof(text); i++) {
		unsigned char ch = (unsigned char)line[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			text[o++] = (char)ch;
		else
			o += (size_t)snprintf(text + o, sizeof(text) - o, "\\%03o", ch);
	}
	text[o] = '\0';
	log_emit_as(prio, c->tag, text);
}

void relay_logs(struct child *c)
{
	for (;;) {
		ssize_t n = read(c->log_fd, c->line + c->line_len, sizeof(c->line) - c->line_len);
		char *nl;

		if (n <= 0) {
			if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(c->log_fd);
				c->log_fd = -1;
			}
			return;
		}
		c->line_len += (size_t)n;
		while ((nl = memchr(c->line, '\n', c->line_len))) {
			size_t used = (size_t)(nl + 1 - c->line);

			relay_line(c, c->line, used - 1);
			c->line_len -= used;
			memmove(c->line, nl + 1, c->line_len);
		}
		if (c->line_len == sizeof(c->line)) {
			relay_line(c, c->line, c->line_len); /* an overlong line, in pieces */
			c->line_len = 0;
		}
	}
}

/* ---- control messages from the front ---- */

static int answer_ready(struct super *s, const struct control_msg *m)
{
	s->fused_ready = s->ever_ready = true;
	log_debug("the front is serving");
	report_ready(s, true);
	return 0;
}

/* The session's INIT, kept as opaque bytes for the next front (which
 * checks them).  Only the front that saw the kernel's INIT has one: a
 * front that took over a live session never does. */
static int answer_init(struct super *s, const struct control_msg *m)
{
	if (s->have_init || s->fused_takeover)
		return -EPERM;
	s->init = *m;
	s->have_init = true;
	return 0;
}

enum {
	CTL_ONCE = 1u << 0, /* at most once per front */
};

/* Every control message the supervisor accepts, and how often. */
static const struct control_rule {
	uint32_t kind;
	const char *name;
	unsigned flags;
	uint32_t min_len, max_len;
	int (*fn)(struct super *s, const struct control_msg *m);
} control_rules[] = {
	{ CONTROL_READY, "READY", CTL_ONCE, 0, 0, answer_ready },
	{ CONTROL_INIT, "INIT", CTL_ONCE, 1, CONTROL_INIT_MAX, answer_init },
};

/* A front that breaks the control protocol is broken or compromised: it
 * goes, and a new one takes over the session. */
static void control_violation(struct super *s, const char *what, uint32_t kind)
{
	log_err("control message from the front refused (%s, kind %u): closing its channel "
		"and stopping it",
		what, (unsigned)kind);
	close(s->ctl_fd);
	s->ctl_fd = -1;
	if (s->fused.pid > 0)
		kill(s->fused.pid, SIGKILL);
}

int relay_control(struct super *s)
{
	struct control_msg m;
	int fd = -1;
	ssize_t n = recv_fd(s->ctl_fd, &m, sizeof(m), &fd);

	if (fd >= 0)
		close(fd); /* the front never passes fds up */
	if (n <= 0) {
		if (n == 0 || n != -EAGAIN) {
			close(s->ctl_fd);
			s->ctl_fd = -1;
		}
		return 0;
	}
	if (n != (ssize_t)sizeof(m) || m.magic != CONTROL_MAGIC || m.reserved != 0) {
		control_violation(s, "malformed", n == (ssize_t)sizeof(m) ? m.kind : 0);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(control_rules); i++) {
		const struct control_rule *r = &control_rules[i];
		unsigned bit = 1u << i;

		if (r->kind != m.kind)
			continue;
		if (m.len < r->min_len || m.len > r->max_len) {
			control_violation(s, "wrong length", m.kind);
			return 0;
		}
		if ((r->flags & CTL_ONCE) && (s->ctl_seen & bit)) {
			control_violation(s, "repeated", m.kind);
			return 0;
		}
		s->ctl_seen |= bit;
		if (r->fn(s, &m) < 0) {
			control_violation(s, "not permitted now", m.kind);
			return 0;
		}
		log_debug("control message %s from the front", r->name);
		return 1;
	}
	control_violation(s, "unknown kind", m.kind);
	return 0;
}
