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
static void log_emit(int prio, const char *text)
{
	char line[2048];
	int n;

	switch (log_sink) {
	case LOG_SINK_SYSLOG:
		syslog(prio, "%s %s", log_tag, text);
		return;
	case LOG_SINK_RELAY:
		n = snprintf(line, sizeof(line), "<%d>%s %s\n", prio, log_tag, text);
		break;
	case LOG_SINK_STDERR:
	default:
		n = snprintf(line, sizeof(line), "lxcfs%s %s\n", log_tag, text);
		break;
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
	char text[1900];

	vsnprintf(text, sizeof(text), fmt, ap);
	/* a log line never carries a raw newline from data */
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	log_emit(prio, text);
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

void log_relay_line(const char *line)
{
	int prio = LOG_INFO;

	if (line[0] == '<' && line[1] >= '0' && line[1] <= '7' && line[2] == '>') {
		prio = line[1] - '0';
		line += 3;
	}
	if (prio == LOG_DEBUG && !log_debug_on)
		return;
	if (log_sink == LOG_SINK_SYSLOG) {
		syslog(prio, "%s", line);
	} else {
		char out[2100];
		int n = snprintf(out, sizeof(out), "lxcfs%s\n", line);

		if (n > 0 && write(STDERR_FILENO, out, (size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1) < 0) {
			/* nowhere left to report it */
		}
	}
}
