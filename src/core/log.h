#ifndef TERBIT_LOG_H
#define TERBIT_LOG_H
/*
 * Logging to stderr, one line per event, with an ISO timestamp and level.
 * Never pass a full NIK or token: use mask_nik (core/fmt.h) first. The
 * level comes from TERBIT_LOG (debug, info, warn, error; default info).
 * Thread-safe (one write(2) per line).
 */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
