/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One logging module for all three processes.  Every line carries the
 * process tag ([super], [priv], [fuse]).  The supervisor logs to stderr
 * (foreground) or syslog.  The children write "<prio>text" lines to their
 * stderr, a pipe the supervisor relays under the tag of that child: the
 * sandboxed processes never need a socket for logging and cannot log
 * under another's name.
 */
#ifndef LXCFS_LOG_H
#define LXCFS_LOG_H

#include <stdbool.h>
#include <stdnoreturn.h>
#include <syslog.h>

/* A log line's text, and the whole line with its prefix and tag. */
#define LOG_TEXT_MAX 1900
#define LOG_LINE_MAX 2048

enum log_sink {
	LOG_SINK_STDERR, /* plain lines on stderr */
	LOG_SINK_RELAY,	 /* "<prio>" prefixed lines on stderr, for the supervisor */
	LOG_SINK_SYSLOG,
};

void log_init(const char *tag, enum log_sink sink, bool debug);
bool log_debug_enabled(void);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Emit text under another process's tag: the supervisor relaying a line
 * one of its children wrote (which it has escaped and clamped). */
void log_emit_as(int prio, const char *tag, const char *text);

#define log_err(...)  log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)                                                                             \
	do {                                                                                       \
		if (log_debug_enabled())                                                           \
			log_msg(LOG_DEBUG, __VA_ARGS__);                                           \
	} while (0)

#endif
