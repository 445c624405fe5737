// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const char *log_tag = "[lxcfs]";
static enum log_sink log_sink = LOG_SINK_STDERR;
static bool log_debug_on;

void log_init(const char *tag, enum log_sink sink, bool debug)
{
	log_tag = tag;
	log_sink = sink;
	log_debug_on = debug;
	if (sink == LOG_SINK_SYSLOG)
		openlog("lxcfs", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

bool log_debug_enabled(void)
{
	return log_debug_on;
}

/* One write(2) per line, so lines from several processes never interleave. */
void log_emit_as(int prio, const char *tag, const char *text)
{
	char line[LOG_LINE_MAX];
	int n;

	switch (log_sink) {
	case LOG_SINK_SYSLOG: syslog(prio, "%s %s", tag, text); return;
	case LOG_SINK_RELAY:
		/* the supervisor adds the tag of the pipe it read this from */
		n = snprintf(line, sizeof(line), "<%d>%s\n", prio, text);
		break;
	case LOG_SINK_STDERR:
	default: n = snprintf(line, sizeof(line), "lxcfs%s %s\n", tag, text); break;
	}
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* nowhere left to report it */
	}
}

static void log_vmsg(int prio, const char *fmt, va_list ap)
{
	char text[LOG_TEXT_MAX];

	vsnprintf(text, sizeof(text), fmt, ap);
	/* a log line never carries a raw newline from data */
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	log_emit_as(prio, log_tag, text);
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

noreturn void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}
