/*
 * failio: an LD_PRELOAD shim that makes one file-system call of pacc fail,
 * so tests can prove a build that fails at any point leaves the previous
 * output byte-identical and no temporary files behind.
 *
 * FAILIO_N=n makes the n-th call (counting from 1) among the calls that
 * create or change something — openat with O_CREAT, mkdir, mkdirat, write,
 * linkat, fsync, syncfs, renameat, renameat2, rename — fail with EIO.  Only that one call
 * fails; the ones after it (the clean-up) succeed.  Calls that only read or
 * remove are not counted: removing is how a failed build cleans up.
 * FAILIO_LOG=path appends one line per counted call ("n name"), so a test
 * knows how many points there are.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static long calls;

/* Counts one call; true when this is the one to fail. */
static int should_fail(const char *name)
{
	calls++;
	const char *log = getenv("FAILIO_LOG");
	if (log) {
		FILE *f = fopen(log, "a");
		if (f) {
			fprintf(f, "%ld %s\n", calls, name);
			fclose(f);
		}
	}
	const char *n = getenv("FAILIO_N");
	if (n && atol(n) == calls) {
		errno = EIO;
		return 1;
	}
	return 0;
}

#define NEXT(ret, name, ...) \
	static ret (*next)(__VA_ARGS__); \
	if (!next) \
		next = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, name)

int openat(int dirfd, const char *path, int flags, ...)
{
	NEXT(int, "openat", int, const char *, int, ...);
	mode_t mode = 0;
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
		if (should_fail("openat"))
			return -1;
	}
	return next(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	NEXT(int, "openat64", int, const char *, int, ...);
	mode_t mode = 0;
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
		if (should_fail("openat64"))
			return -1;
	}
	return next(dirfd, path, flags, mode);
}

int mkdir(const char *path, mode_t mode)
{
	NEXT(int, "mkdir", const char *, mode_t);
	return should_fail("mkdir") ? -1 : next(path, mode);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	NEXT(int, "mkdirat", int, const char *, mode_t);
	return should_fail("mkdirat") ? -1 : next(dirfd, path, mode);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	NEXT(ssize_t, "write", int, const void *, size_t);
	/* standard output and error are not the build's files */
	if (fd > 2 && should_fail("write"))
		return -1;
	return next(fd, buf, n);
}

int linkat(int fromfd, const char *from, int tofd, const char *to, int flags)
{
	NEXT(int, "linkat", int, const char *, int, const char *, int);
	return should_fail("linkat") ? -1 : next(fromfd, from, tofd, to, flags);
}

int fsync(int fd)
{
	NEXT(int, "fsync", int);
	return should_fail("fsync") ? -1 : next(fd);
}

int syncfs(int fd)
{
	NEXT(int, "syncfs", int);
	return should_fail("syncfs") ? -1 : next(fd);
}

int rename(const char *from, const char *to)
{
	NEXT(int, "rename", const char *, const char *);
	return should_fail("rename") ? -1 : next(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	NEXT(int, "renameat", int, const char *, int, const char *);
	return should_fail("renameat") ? -1 : next(fromfd, from, tofd, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned flags)
{
	NEXT(int, "renameat2", int, const char *, int, const char *, unsigned);
	return should_fail("renameat2") ? -1 : next(fromfd, from, tofd, to, flags);
}
