#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int log_threshold(void)
{
	/* Read once: getenv is not safe against concurrent setenv, and the
	 * level does not change while running. */
	static int level = -1;
	if (level < 0) {
		const char *s = getenv("TERBIT_LOG");
		level = LOG_INFO;
		if (s && strcmp(s, "debug") == 0)
			level = LOG_DEBUG;
		else if (s && strcmp(s, "warn") == 0)
			level = LOG_WARN;
		else if (s && strcmp(s, "error") == 0)
			level = LOG_ERROR;
	}
	return level;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };
	if ((int)lvl < log_threshold())
		return;
	char line[2048];
	struct timeval tv;
	struct tm tm;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	int n = (int)strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
	n += snprintf(line + n, sizeof line - (size_t)n, ".%03ldZ %s ",
		      (long)(tv.tv_usec / 1000), names[lvl]);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	/* One write per line keeps lines whole across threads. */
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}
