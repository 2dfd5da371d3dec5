/* renameat2(), RENAME_EXCHANGE and syncfs() are GNU extensions; fsout falls
 * back to plain renames where the file system lacks them, and to one fsync
 * per file where there is no syncfs. */
#define _GNU_SOURCE
#include "pacc/fsout.h"

#include "pacc/arena.h"
#include "pacc/names.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Deepest tree fsout walks when comparing or removing (outputs are shallow). */
#define FSOUT_MAX_DEPTH 64
/* Attempts at finding an unused temporary name. */
#define FSOUT_NAME_TRIES 1000

/*
 * Durability, on request (struct fsout's durable, `pacc build --sync`).  A
 * durable build must have the staged trees on disk before the first one is
 * swapped in, or a power loss could leave a pack directory that names files
 * whose data never reached the disk.  One fsync per file did that at the
 * price of one disk flush per file; instead, files are written without a
 * flush and one syncfs() of DIR's file system flushes every staged file and
 * directory at once, just before the swap (FSOUT_HAVE_SYNCFS).  Where there
 * is no syncfs (not Linux), each file and directory is fsynced as it is
 * written.  A build that is not durable flushes nothing: readers still see
 * the old or the new tree, but a power loss may leave new files without
 * their data (README, "Robustness").
 */
#if defined(__linux__) && !defined(PACC_FSOUT_FSYNC_EACH)
#define FSOUT_HAVE_SYNCFS 1
#else
#define FSOUT_HAVE_SYNCFS 0
#endif

/* True when each staged file and directory is flushed as it is written. */
static bool sync_each(const struct fsout *w)
{
	return w->durable && !FSOUT_HAVE_SYNCFS;
}

/* Flushes one staged file or directory, when sync_each(). */
static int sync_staged(const struct fsout *w, int fd)
{
	return sync_each(w) ? fsync(fd) : 0;
}

/* Flushes every staged tree before the swap, when durable and syncfs does it. */
static int sync_all_staged(const struct fsout *w)
{
#if FSOUT_HAVE_SYNCFS
	return w->durable ? syncfs(w->dirfd) : 0;
#else
	(void)w;
	return 0;
#endif
}

enum pack_state {
	PACK_UNCHANGED, /* DIR/<name> already holds the output; nothing to do */
	PACK_STAGED,    /* the new tree is at tmp; DIR/<name> is untouched */
	PACK_SWAPPED,   /* the new tree is at DIR/<name>; the old one (if any) at tmp */
	PACK_DONE,      /* swapped and the old tree removed */
};

struct fsout_pack {
	char *name;
	char *tmp;    /* a hidden sibling of DIR/<name>; NULL when unchanged */
	bool had_old; /* DIR/<name> existed when staged */
	enum pack_state state;
};

/* ---- messages --------------------------------------------------------------------- */

__attribute__((format(printf, 2, 3))) static int fail(struct fsout *w, const char *fmt, ...)
{
	va_list ap;
	sb_reset(&w->err);
	va_start(ap, fmt);
	sb_vaddf(&w->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* fail() with the system's reason for errno appended. */
__attribute__((format(printf, 2, 3))) static int fail_errno(struct fsout *w, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	sb_reset(&w->err);
	va_start(ap, fmt);
	sb_vaddf(&w->err, fmt, ap);
	va_end(ap);
	sb_addf(&w->err, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

const char *fsout_error(const struct fsout *w) { return w->err.buf; }

/* ---- path rules --------------------------------------------------------------------- */

static bool component_ok(const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	/* and nothing that hides itself in a file name (names.h) */
	return memchr(s, '\\', n) == NULL && names_id_ok(s, n, NULL);
}

bool fsout_path_ok(const char *path)
{
	if (!path || !*path || path[0] == '/')
		return false;
	const char *p = path;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (!component_ok(p, n))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

bool fsout_name_ok(const char *name)
{
	return name && name[0] != '.' && !strchr(name, '/') && fsout_path_ok(name);
}

/* ---- small system helpers ----------------------------------------------------------- */

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int open_dir_at(int at, const char *name)
{
	return openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/*
 * Opens the directory that holds path's last component, starting at root,
 * creating missing directories when create is set.  Returns a descriptor
 * the caller closes and points *leaf at the last component; -1 on failure.
 * buf receives a writable copy of path.
 */
static int open_parent(int root, const char *path, bool create, struct sb *buf, const char **leaf)
{
	sb_reset(buf);
	sb_adds(buf, path);
	int cur = fcntl(root, F_DUPFD_CLOEXEC, 0);
	if (cur < 0)
		return -1;
	char *p = buf->buf;
	char *slash;
	while ((slash = strchr(p, '/')) != NULL) {
		*slash = '\0';
		if (create && mkdirat(cur, p, 0755) < 0 && errno != EEXIST) {
			int saved = errno;
			close(cur);
			errno = saved;
			return -1;
		}
		int next = open_dir_at(cur, p);
		int saved = errno;
		close(cur);
		if (next < 0) {
			errno = saved;
			return -1;
		}
		cur = next;
		p = slash + 1;
	}
	*leaf = p;
	return cur;
}

/*
 * The directory of the file being written or compared, kept open for the
 * next file: the files of a pack come in runs that share a directory
 * (policies/...), so each needs one openat instead of a walk from the root.
 */
struct parent_cache {
	int fd;          /* the open directory, or -1 */
	struct sb dir;   /* its path below the root ("" for the root itself) */
	struct sb buf;   /* scratch for open_parent */
};

static void parent_cache_init(struct parent_cache *c)
{
	c->fd = -1;
	sb_init(&c->dir, 0);
	sb_init(&c->buf, 0);
}

static void parent_cache_release(struct parent_cache *c)
{
	if (c->fd >= 0)
		close(c->fd);
	sb_release(&c->dir);
	sb_release(&c->buf);
	c->fd = -1;
}

/*
 * open_parent through the cache: the descriptor stays owned by c (the
 * caller does not close it); *leaf points into path.  -1 on failure.
 */
static int parent_cache_open(struct parent_cache *c, int root, const char *path, bool create,
			     const char **leaf)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	*leaf = slash ? slash + 1 : path;
	if (c->fd >= 0 && c->dir.len == n && memcmp(c->dir.buf, path, n) == 0)
		return c->fd;
	if (c->fd >= 0)
		close(c->fd);
	const char *ignored;
	c->fd = open_parent(root, path, create, &c->buf, &ignored);
	sb_reset(&c->dir);
	if (c->fd >= 0)
		sb_add(&c->dir, path, n);
	return c->fd;
}

/*
 * Removes the tree DIR-relative name (at fd at) without following any
 * symbolic link in it.  A missing tree is not an error.
 */
static int remove_tree(int at, const char *name, int depth)
{
	if (depth > FSOUT_MAX_DEPTH) {
		errno = ELOOP;
		return -1;
	}
	int fd = open_dir_at(at, name);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		if (errno == ENOTDIR || errno == ELOOP)
			return unlinkat(at, name, 0);
		return -1;
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -1;
			break;
		}
		if (S_ISDIR(st.st_mode))
			rc = remove_tree(dirfd(d), e->d_name, depth + 1);
		else
			rc = unlinkat(dirfd(d), e->d_name, 0);
		if (rc < 0)
			break;
		errno = 0;
	}
	if (rc == 0 && errno != 0)
		rc = -1;
	int saved = errno;
	closedir(d);
	if (rc < 0) {
		errno = saved;
		return -1;
	}
	return unlinkat(at, name, AT_REMOVEDIR);
}

/* ---- the files a set implies ---------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted file paths and the sorted, unique directories they need. */
struct layout {
	const char **files;
	char **dirs;
	size_t file_count, dir_count;
};

static void layout_release(struct layout *l)
{
	for (size_t i = 0; i < l->dir_count; i++)
		free(l->dirs[i]);
	free(l->dirs);
	free(l->files);
	memset(l, 0, sizeof(*l));
}

/* Validates every path of set and computes its layout; -1 with a message on a bad set. */
static int layout_build(struct fsout *w, const char *pack, const struct output_set *set,
			struct layout *l)
{
	memset(l, 0, sizeof(*l));
	l->files = xcalloc(set->count ? set->count : 1, sizeof(*l->files));
	size_t dir_alloc = 0;
	for (size_t i = 0; i < set->count; i++) {
		const char *path = set->files[i].path;
		if (!fsout_path_ok(path))
			return fail(w, "internal error: pack '%s' produced an unsafe output path '%s'",
				    pack, path);
		l->files[l->file_count++] = path;
		for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
			if (l->dir_count == dir_alloc) {
				dir_alloc = dir_alloc ? dir_alloc * 2 : 16;
				l->dirs = xrealloc(l->dirs, dir_alloc * sizeof(*l->dirs));
			}
			size_t n = (size_t)(s - path);
			char *dir = xmalloc(n + 1);
			memcpy(dir, path, n);
			dir[n] = '\0';
			l->dirs[l->dir_count++] = dir;
		}
	}
	qsort(l->files, l->file_count, sizeof(*l->files), cmp_str);
	for (size_t i = 1; i < l->file_count; i++)
		if (strcmp(l->files[i - 1], l->files[i]) == 0)
			return fail(w, "internal error: pack '%s' produced '%s' twice", pack,
				    l->files[i]);
	if (l->dir_count) /* l->dirs is NULL when no path has a '/' */
		qsort(l->dirs, l->dir_count, sizeof(*l->dirs), cmp_str);
	size_t kept = 0;
	for (size_t i = 0; i < l->dir_count; i++) {
		if (kept && strcmp(l->dirs[kept - 1], l->dirs[i]) == 0) {
			free(l->dirs[i]);
			continue;
		}
		l->dirs[kept++] = l->dirs[i];
	}
	l->dir_count = kept;
	for (size_t i = 0; i < l->dir_count; i++)
		if (bsearch(&l->dirs[i], l->files, l->file_count, sizeof(*l->files), cmp_str))
			return fail(w, "internal error: pack '%s' uses '%s' as a file and a directory",
				    pack, l->dirs[i]);
	return 0;
}

/* ---- comparing with what is on disk -------------------------------------------------- */

/*
 * True when the file at (at, leaf) is a regular file holding exactly data;
 * then *st (when not NULL) is its status, to know it again.
 */
static bool file_matches_st(int at, const char *leaf, const struct sb *data, struct stat *st_out)
{
	int fd = openat(at, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == data->len;
	size_t off = 0;
	char chunk[65536];
	while (same && off < data->len) {
		ssize_t k = read(fd, chunk, sizeof(chunk));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0 || (size_t)k > data->len - off || memcmp(chunk, data->buf + off, (size_t)k))
			same = false;
		else
			off += (size_t)k;
	}
	close(fd);
	if (same && st_out)
		*st_out = st;
	return same;
}

static bool file_matches(int at, const char *leaf, const struct sb *data)
{
	return file_matches_st(at, leaf, data, NULL);
}

/* True when a and b are the same inode, unchanged in size and mtime. */
static bool same_identity(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Counts regular files and directories below fd; false on anything else. */
static bool count_tree(int fd, size_t *files, size_t *dirs, int depth)
{
	if (depth > FSOUT_MAX_DEPTH)
		return false;
	int own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (own < 0)
		return false;
	DIR *d = fdopendir(own);
	if (!d) {
		close(own);
		return false;
	}
	bool ok = true;
	struct dirent *e;
	while (ok && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			ok = false;
		} else if (S_ISREG(st.st_mode)) {
			++*files;
		} else if (S_ISDIR(st.st_mode)) {
			++*dirs;
			int sub = open_dir_at(dirfd(d), e->d_name);
			ok = sub >= 0 && count_tree(sub, files, dirs, depth + 1);
			if (sub >= 0)
				close(sub);
		} else {
			ok = false;
		}
	}
	closedir(d);
	return ok;
}

/*
 * The files of the old tree DIR/<pack> that hold the new bytes: a rebuild
 * links them into the new tree instead of writing them again (no new
 * inode, no data written, mtimes kept).  old[i] is about set->files[i].
 */
struct old_tree {
	int root;          /* DIR/<pack> opened, or -1 */
	bool *same;        /* the old file at that path holds the new bytes */
	struct stat *st;   /* its status when same, to know it again when linking */
};

static void old_tree_release(struct old_tree *o)
{
	if (o->root >= 0)
		close(o->root);
	free(o->same);
	free(o->st);
	o->root = -1;
	o->same = NULL;
	o->st = NULL;
}

/*
 * True when DIR/<pack> holds exactly the files of set and nothing else.
 * When it does not, o (if not NULL) keeps the old tree open and says which
 * of its files hold the new bytes; the caller releases it.
 */
static bool tree_matches(struct fsout *w, const char *pack, const struct output_set *set,
			 const struct layout *l, struct old_tree *o)
{
	int root = open_dir_at(w->dirfd, pack);
	if (root < 0)
		return false;
	bool *same_at = o ? xcalloc(set->count ? set->count : 1, sizeof(*same_at)) : NULL;
	struct stat *st = o ? xcalloc(set->count ? set->count : 1, sizeof(*st)) : NULL;
	struct parent_cache parents;
	parent_cache_init(&parents);
	bool same = true;
	/* With o, every file is compared (each is one link saved); without, up to
	 * the first that differs. */
	for (size_t i = 0; (same || o) && i < set->count; i++) {
		const char *leaf;
		int parent = parent_cache_open(&parents, root, set->files[i].path, false, &leaf);
		bool one = parent >= 0 && file_matches_st(parent, leaf, &set->files[i].data,
							  st ? &st[i] : NULL);
		if (same_at)
			same_at[i] = one;
		same = same && one;
	}
	parent_cache_release(&parents);
	size_t files = 0, dirs = 0;
	if (same)
		same = count_tree(root, &files, &dirs, 0) && files == l->file_count &&
		       dirs == l->dir_count;
	if (o && !same) {
		o->root = root;
		o->same = same_at;
		o->st = st;
		return false;
	}
	free(same_at);
	free(st);
	close(root);
	return same;
}

/*
 * Links the old file that holds f's bytes into the new tree at (parent,
 * leaf).  True when it did, and the link is that file still unchanged; false
 * (and nothing left at leaf) when the caller must write the file instead.
 */
static bool link_old(struct parent_cache *old_parents, const struct old_tree *o, size_t i,
		     const struct output_file *f, int parent, const char *leaf)
{
	const char *old_leaf;
	int old_parent = parent_cache_open(old_parents, o->root, f->path, false, &old_leaf);
	if (old_parent < 0 || linkat(old_parent, old_leaf, parent, leaf, 0) < 0)
		return false;
	/* Another build may have swapped the old tree away meanwhile: keep the
	 * link only when it is the very file that was compared. */
	struct stat now;
	if (fstatat(parent, leaf, &now, AT_SYMLINK_NOFOLLOW) == 0 && same_identity(&now, &o->st[i]))
		return true;
	unlinkat(parent, leaf, 0);
	return false;
}

/* ---- comparing two trees on disk ------------------------------------------------------ */

/* True when the regular files (a, name) and (b, name) hold the same bytes. */
static bool same_file(int a, int b, const char *name)
{
	int fa = openat(a, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int fb = fa < 0 ? -1 : openat(b, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	bool same = fa >= 0 && fb >= 0;
	char ca[16384], cb[16384];
	while (same) {
		ssize_t ka = read(fa, ca, sizeof(ca));
		if (ka < 0 && errno == EINTR)
			continue;
		if (ka < 0) {
			same = false;
			break;
		}
		size_t got = 0;
		while (got < (size_t)ka) {
			ssize_t kb = read(fb, cb + got, (size_t)ka - got);
			if (kb < 0 && errno == EINTR)
				continue;
			if (kb <= 0)
				break;
			got += (size_t)kb;
		}
		if (got != (size_t)ka || memcmp(ca, cb, got) != 0) {
			same = false;
			break;
		}
		if (ka == 0) {
			/* a ended: b must end too */
			same = read(fb, cb, 1) == 0;
			break;
		}
	}
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

/* Counts the entries of the directory fd (".", ".." aside); -1 on failure. */
static long count_entries(int fd)
{
	int own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	DIR *d = own < 0 ? NULL : fdopendir(own);
	if (!d) {
		if (own >= 0)
			close(own);
		return -1;
	}
	long n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* True when the trees at fds a and b hold the same names, directories and bytes. */
static bool same_tree(int a, int b, int depth)
{
	if (depth > FSOUT_MAX_DEPTH)
		return false;
	int own = fcntl(a, F_DUPFD_CLOEXEC, 0);
	DIR *d = own < 0 ? NULL : fdopendir(own);
	if (!d) {
		if (own >= 0)
			close(own);
		return false;
	}
	bool same = true;
	long n = 0;
	struct dirent *e;
	while (same && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n++;
		struct stat sa, sb;
		if (fstatat(a, e->d_name, &sa, AT_SYMLINK_NOFOLLOW) < 0 ||
		    fstatat(b, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			same = false;
		} else if (S_ISREG(sa.st_mode) && S_ISREG(sb.st_mode)) {
			same = sa.st_size == sb.st_size && same_file(a, b, e->d_name);
		} else if (S_ISDIR(sa.st_mode) && S_ISDIR(sb.st_mode)) {
			int da = open_dir_at(a, e->d_name);
			int db = da < 0 ? -1 : open_dir_at(b, e->d_name);
			same = da >= 0 && db >= 0 && same_tree(da, db, depth + 1);
			if (da >= 0)
				close(da);
			if (db >= 0)
				close(db);
		} else {
			same = false;
		}
	}
	closedir(d);
	return same && count_entries(b) == n;
}

/* True when DIR/a and DIR/b are equal trees. */
static bool same_tree_at(int dirfd, const char *a, const char *b)
{
	int da = open_dir_at(dirfd, a);
	int db = da < 0 ? -1 : open_dir_at(dirfd, b);
	bool same = da >= 0 && db >= 0 && same_tree(da, db, 0);
	if (da >= 0)
		close(da);
	if (db >= 0)
		close(db);
	return same;
}

/* ---- leftovers of builds that were killed ----------------------------------------------- */

/*
 * When name is a staging entry of fsout's own pattern, ".<pack>.tmp.<pid>.<n>"
 * or ".<pack>.swap.<pid>.<n>" (both numbers decimal), returns <pid> and sets
 * *pack_len to the length of <pack>, which starts at name + 1; else 0.
 */
static pid_t staging_pid(const char *name, size_t *pack_len)
{
	size_t len = strlen(name), i = len;
	if (name[0] != '.')
		return 0;
	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	if (i == len || i < 2 || name[i - 1] != '.')
		return 0;
	size_t pid_end = i - 1;
	i = pid_end;
	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	size_t digits = pid_end - i;
	if (digits == 0 || digits > 9 || name[i] == '0' || i < 2 || name[i - 1] != '.')
		return 0;
	long pid = 0;
	for (size_t k = i; k < pid_end; k++)
		pid = pid * 10 + (name[k] - '0');
	size_t kind_end = i - 1; /* the '.' before <pid> */
	static const char *const kinds[] = { ".tmp", ".swap" };
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t klen = strlen(kinds[k]);
		if (kind_end > klen + 1 && memcmp(name + kind_end - klen, kinds[k], klen) == 0) {
			*pack_len = kind_end - klen - 1;
			return (pid_t)pid;
		}
	}
	return 0;
}

/* True when no process has this pid any more (ESRCH); a process of another
 * user (EPERM) is alive. */
static bool pid_gone(pid_t pid)
{
	return pid != getpid() && kill(pid, 0) < 0 && errno == ESRCH;
}

/* Collects DIR's staging entries whose process is gone into w->stale. */
static void find_stale(struct fsout *w)
{
	int own = fcntl(w->dirfd, F_DUPFD_CLOEXEC, 0);
	DIR *d = own < 0 ? NULL : fdopendir(own);
	if (!d) {
		if (own >= 0)
			close(own);
		return; /* collecting is a courtesy; the build goes on */
	}
	size_t alloc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t pack_len;
		pid_t pid = staging_pid(e->d_name, &pack_len);
		if (!pid || !pid_gone(pid))
			continue;
		if (w->stale_count == alloc) {
			alloc = alloc ? alloc * 2 : 4;
			w->stale = xrealloc(w->stale, alloc * sizeof(*w->stale));
		}
		size_t n = strlen(e->d_name) + 1;
		w->stale[w->stale_count] = xmalloc(n);
		memcpy(w->stale[w->stale_count++], e->d_name, n);
	}
	closedir(d);
}

/* Removes the stale staging entries of pack found by fsout_open. */
static void remove_stale(struct fsout *w, const char *pack)
{
	size_t plen = strlen(pack);
	for (size_t i = 0; i < w->stale_count; i++) {
		size_t pack_len;
		const char *name = w->stale[i];
		pid_t pid = name ? staging_pid(name, &pack_len) : 0;
		if (!pid || pack_len != plen || memcmp(name + 1, pack, plen) != 0)
			continue;
		/* asked again: the pid may have been given to a new process meanwhile */
		if (pid_gone(pid))
			remove_tree(w->dirfd, name, 0);
		free(w->stale[i]);
		w->stale[i] = NULL;
	}
}

/* ---- writing a temporary tree ------------------------------------------------------- */

/* Creates a fresh hidden directory beside DIR/<pack>; returns its name (caller frees). */
static char *make_temp_dir(struct fsout *w, const char *pack, const char *kind)
{
	struct sb name = SB_INIT;
	for (int tries = 0; tries < FSOUT_NAME_TRIES; tries++) {
		sb_reset(&name);
		sb_addf(&name, ".%s.%s.%ld.%u", pack, kind, (long)getpid(), w->serial++);
		if (mkdirat(w->dirfd, name.buf, 0755) == 0)
			return sb_detach(&name, NULL);
		if (errno != EEXIST)
			break;
	}
	fail_errno(w, "cannot create a directory in '%s' for pack '%s'", w->dir, pack);
	sb_release(&name);
	return NULL;
}

/* Writes the files of set into DIR/tmp, linking those of old (may be NULL)
 * that hold the same bytes. */
static int write_tree(struct fsout *w, const char *pack, const char *tmp,
		      const struct output_set *set, const struct layout *l, const struct old_tree *old)
{
	int root = open_dir_at(w->dirfd, tmp);
	if (root < 0)
		return fail_errno(w, "cannot open '%s/%s'", w->dir, tmp);
	struct parent_cache parents, old_parents;
	parent_cache_init(&parents);
	parent_cache_init(&old_parents);
	struct sb buf = SB_INIT;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < set->count; i++) {
		const struct output_file *f = &set->files[i];
		const char *leaf;
		int parent = parent_cache_open(&parents, root, f->path, true, &leaf);
		if (parent < 0) {
			rc = fail_errno(w, "cannot create the directory for '%s/%s/%s'", w->dir,
					pack, f->path);
			break;
		}
		if (old && old->same[i] && link_old(&old_parents, old, i, f, parent, leaf))
			continue;
		int fd = openat(parent, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				0644);
		if (fd < 0) {
			rc = fail_errno(w, "cannot create '%s/%s/%s'", w->dir, pack, f->path);
		} else {
			if (write_all(fd, f->data.buf, f->data.len) < 0 || sync_staged(w, fd) < 0)
				rc = fail_errno(w, "cannot write '%s/%s/%s'", w->dir, pack, f->path);
			if (close(fd) < 0 && rc == 0)
				rc = fail_errno(w, "cannot write '%s/%s/%s'", w->dir, pack, f->path);
		}
	}
	parent_cache_release(&parents);
	parent_cache_release(&old_parents);
	/* The directory entries must be durable too before the tree is swapped in. */
	for (size_t i = 0; rc == 0 && sync_each(w) && i < l->dir_count; i++) {
		const char *leaf;
		int parent = open_parent(root, l->dirs[i], false, &buf, &leaf);
		int fd = parent < 0 ? -1 : open_dir_at(parent, leaf);
		if (fd < 0 || fsync(fd) < 0)
			rc = fail_errno(w, "cannot sync '%s/%s/%s'", w->dir, pack, l->dirs[i]);
		if (fd >= 0)
			close(fd);
		if (parent >= 0)
			close(parent);
	}
	if (rc == 0 && sync_staged(w, root) < 0)
		rc = fail_errno(w, "cannot sync '%s/%s'", w->dir, tmp);
	close(root);
	sb_release(&buf);
	return rc;
}

/* ---- the public steps ----------------------------------------------------------------- */

void fsout_init(struct fsout *w)
{
	memset(w, 0, sizeof(*w));
	w->dirfd = -1;
	sb_init(&w->err, 0);
}

/* Keeps a copy of DIR's name for messages; -1 when it is empty. */
static int set_dir(struct fsout *w, const char *dir)
{
	free(w->dir);
	w->dir = xmalloc(strlen(dir) + 1);
	memcpy(w->dir, dir, strlen(dir) + 1);
	return *dir ? 0 : fail(w, "the output directory name is empty");
}

int fsout_open(struct fsout *w, const char *dir)
{
	if (set_dir(w, dir) < 0)
		return -1;
	/* mkdir -p: every prefix that ends before a '/', then the whole path. */
	struct sb prefix = SB_INIT;
	for (const char *p = dir;; p++) {
		if ((*p == '/' || *p == '\0') && p != dir) {
			sb_reset(&prefix);
			sb_add(&prefix, dir, (size_t)(p - dir));
			if (mkdir(prefix.buf, 0755) < 0 && errno != EEXIST) {
				fail_errno(w, "cannot create '%s'", prefix.buf);
				sb_release(&prefix);
				return -1;
			}
		}
		if (*p == '\0')
			break;
	}
	sb_release(&prefix);
	w->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0)
		return fail_errno(w, "cannot open the output directory '%s'", dir);
	find_stale(w);
	return 0;
}

/*
 * Sets *exists to whether DIR/<pack> exists; -1 with a message when it is a
 * symbolic link, not a directory, or cannot be inspected.
 */
static int inspect_pack_dir(struct fsout *w, const char *pack, bool *exists)
{
	struct stat st;
	*exists = false;
	if (fstatat(w->dirfd, pack, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return fail_errno(w, "cannot inspect '%s/%s'", w->dir, pack);
	}
	if (S_ISLNK(st.st_mode))
		return fail(w,
			    "'%s/%s' is a symbolic link; pacc replaces pack directories and will "
			    "not write through a link (remove it, or build into another directory)",
			    w->dir, pack);
	if (!S_ISDIR(st.st_mode))
		return fail(w, "'%s/%s' exists and is not a directory", w->dir, pack);
	*exists = true;
	return 0;
}

int fsout_stage(struct fsout *w, const char *pack, const struct output_set *set)
{
	if (w->dirfd < 0)
		return fail(w, "internal error: fsout_stage before fsout_open");
	if (!fsout_name_ok(pack))
		return fail(w, "'%s' cannot be a pack directory name", pack);
	for (size_t i = 0; i < w->count; i++)
		if (strcmp(w->packs[i].name, pack) == 0)
			return fail(w, "pack '%s' is written twice to '%s'", pack, w->dir);

	struct layout l;
	if (layout_build(w, pack, set, &l) < 0) {
		layout_release(&l);
		return -1;
	}
	bool had_old;
	if (inspect_pack_dir(w, pack, &had_old) < 0) {
		layout_release(&l);
		return -1;
	}

	if (w->count == w->alloc) {
		w->alloc = w->alloc ? w->alloc * 2 : 8;
		w->packs = xrealloc(w->packs, w->alloc * sizeof(*w->packs));
	}
	struct fsout_pack *p = &w->packs[w->count++];
	memset(p, 0, sizeof(*p));
	p->name = xmalloc(strlen(pack) + 1);
	memcpy(p->name, pack, strlen(pack) + 1);
	p->had_old = had_old;
	p->state = PACK_UNCHANGED;

	remove_stale(w, pack);
	int rc = 0;
	struct old_tree old = { .root = -1 };
	if (!had_old || !tree_matches(w, pack, set, &l, &old)) {
		p->tmp = make_temp_dir(w, pack, "tmp");
		if (!p->tmp)
			rc = -1;
		else {
			p->state = PACK_STAGED;
			rc = write_tree(w, pack, p->tmp, set, &l, old.root >= 0 ? &old : NULL);
		}
	}
	old_tree_release(&old);
	layout_release(&l);
	return rc;
}

/* ---- comparing without writing (build --check) ---------------------------------------- */

int fsout_open_existing(struct fsout *w, const char *dir)
{
	if (set_dir(w, dir) < 0)
		return -1;
	w->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0) {
		if (errno != ENOENT)
			return fail_errno(w, "cannot open the output directory '%s'", dir);
		w->dir_missing = true;
	}
	return 0;
}

static int cmp_file_path(const void *a, const void *b)
{
	const struct output_file *const *x = a, *const *y = b;
	return strcmp((*x)->path, (*y)->path);
}

/* What a walk of DIR/<pack> collects: the entries set does not have. */
struct stray_walk {
	const struct layout *l;
	struct sb path;     /* of the directory being walked, relative, ending in '/' or empty */
	char **stray;       /* sorted at the end */
	size_t count, alloc;
	bool failed;
};

/* Records the entry name (plus tail) of the directory being walked. */
static void stray_add(struct stray_walk *sw, const char *name, const char *tail)
{
	if (sw->count == sw->alloc) {
		sw->alloc = sw->alloc ? sw->alloc * 2 : 16;
		sw->stray = xrealloc(sw->stray, sw->alloc * sizeof(*sw->stray));
	}
	struct sb s = SB_INIT;
	sb_addf(&s, "%s%s%s", sw->path.buf, name, tail);
	sw->stray[sw->count++] = sb_detach(&s, NULL);
}

/* Walks the directory fd (at sw->path); returns the number of entries it holds. */
static size_t stray_walk_dir(struct stray_walk *sw, int fd, int depth)
{
	if (depth > FSOUT_MAX_DEPTH) {
		sw->failed = true;
		return 0;
	}
	int own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	DIR *d = own < 0 ? NULL : fdopendir(own);
	if (!d) {
		if (own >= 0)
			close(own);
		sw->failed = true;
		return 0;
	}
	size_t entries = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		entries++;
		size_t mark = sw->path.len;
		sb_adds(&sw->path, e->d_name);
		struct stat st;
		const char *rel = sw->path.buf;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			sw->failed = true;
		} else if (S_ISDIR(st.st_mode)) {
			/* A directory set has no file in (an empty one, or one set wants as a file). */
			bool wanted = bsearch(&rel, sw->l->dirs, sw->l->dir_count, sizeof(*sw->l->dirs),
					      cmp_str) ||
				      bsearch(&rel, sw->l->files, sw->l->file_count, sizeof(*sw->l->files),
					      cmp_str);
			int sub = open_dir_at(dirfd(d), e->d_name);
			sb_addch(&sw->path, '/');
			size_t inside = sub < 0 ? 0 : stray_walk_dir(sw, sub, depth + 1);
			if (sub < 0)
				sw->failed = true;
			else
				close(sub);
			sb_setlen(&sw->path, sw->path.len - 1);
			if (!wanted && inside == 0) {
				sb_setlen(&sw->path, mark);
				stray_add(sw, e->d_name, "/");
			}
		} else if (!bsearch(&rel, sw->l->files, sw->l->file_count, sizeof(*sw->l->files),
				    cmp_str)) {
			sb_setlen(&sw->path, mark);
			stray_add(sw, e->d_name, "");
		}
		sb_setlen(&sw->path, mark);
	}
	closedir(d);
	return entries;
}

int fsout_compare(struct fsout *w, const char *pack, const struct output_set *set,
		  struct sb *report, size_t *differences)
{
	*differences = 0;
	if (w->dirfd < 0 && !w->dir_missing)
		return fail(w, "internal error: fsout_compare before fsout_open_existing");
	if (!fsout_name_ok(pack))
		return fail(w, "'%s' cannot be a pack directory name", pack);
	struct layout l;
	if (layout_build(w, pack, set, &l) < 0) {
		layout_release(&l);
		return -1;
	}
	int root = -1;
	bool exists = false;
	if (!w->dir_missing && (inspect_pack_dir(w, pack, &exists) < 0 ||
				(exists && (root = open_dir_at(w->dirfd, pack)) < 0))) {
		if (exists)
			fail_errno(w, "cannot open '%s/%s'", w->dir, pack);
		layout_release(&l);
		return -1;
	}

	const struct output_file **files = xcalloc(set->count ? set->count : 1, sizeof(*files));
	for (size_t i = 0; i < set->count; i++)
		files[i] = &set->files[i];
	qsort(files, set->count, sizeof(*files), cmp_file_path);
	struct sb buf = SB_INIT;
	for (size_t i = 0; i < set->count; i++) {
		const char *what = "added";
		const char *leaf;
		int parent = root < 0 ? -1 : open_parent(root, files[i]->path, false, &buf, &leaf);
		struct stat st;
		if (parent >= 0 && fstatat(parent, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0)
			what = file_matches(parent, leaf, &files[i]->data) ? NULL : "changed";
		if (parent >= 0)
			close(parent);
		if (what) {
			sb_addf(report, "%s: %s/%s/%s\n", what, w->dir, pack, files[i]->path);
			++*differences;
		}
	}
	sb_release(&buf);
	free(files);

	int rc = 0;
	if (root >= 0) {
		struct stray_walk sw = { .l = &l, .path = SB_INIT };
		stray_walk_dir(&sw, root, 0);
		if (sw.count)
			qsort(sw.stray, sw.count, sizeof(*sw.stray), cmp_str);
		for (size_t i = 0; i < sw.count; i++) {
			sb_addf(report, "removed: %s/%s/%s\n", w->dir, pack, sw.stray[i]);
			free(sw.stray[i]);
		}
		*differences += sw.count;
		free(sw.stray);
		sb_release(&sw.path);
		if (sw.failed)
			rc = fail_errno(w, "cannot read the tree '%s/%s'", w->dir, pack);
		close(root);
	}
	layout_release(&l);
	return rc;
}

/* Exchanges the directory entries a and b in DIR. */
static int exchange(struct fsout *w, const char *pack, const char *a, const char *b)
{
	if (renameat2(w->dirfd, a, w->dirfd, b, RENAME_EXCHANGE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	/* No atomic exchange here: three renames through a spare name. */
	char *spare = make_temp_dir(w, pack, "swap");
	if (!spare)
		return -1;
	int rc = -1;
	if (unlinkat(w->dirfd, spare, AT_REMOVEDIR) == 0 && renameat(w->dirfd, a, w->dirfd, spare) == 0) {
		if (renameat(w->dirfd, b, w->dirfd, a) == 0) {
			if (renameat(w->dirfd, spare, w->dirfd, b) == 0)
				rc = 0;
			else
				renameat(w->dirfd, a, w->dirfd, b);
		}
		if (rc < 0) {
			int saved = errno;
			renameat(w->dirfd, spare, w->dirfd, a);
			errno = saved;
		}
	}
	free(spare);
	return rc;
}

/*
 * DIR/<pack> appeared between staging and commit: another build of the same
 * new pack got there first.  When it wrote what this build wrote, this build
 * has nothing left to do (STAGED -> UNCHANGED); otherwise it fails, and the
 * other build's tree stays.
 */
static int lost_race(struct fsout *w, struct fsout_pack *p)
{
	if (!same_tree_at(w->dirfd, p->tmp, p->name))
		return fail(w,
			    "'%s/%s' appeared while this build ran (another build of pack '%s'?) and "
			    "holds other files; it was left as it is: build again",
			    w->dir, p->name, p->name);
	remove_tree(w->dirfd, p->tmp, 0);
	free(p->tmp);
	p->tmp = NULL;
	p->state = PACK_UNCHANGED;
	return 0;
}

/* Puts the new tree of p in place (state STAGED -> SWAPPED). */
static int swap_in(struct fsout *w, struct fsout_pack *p)
{
	int rc;
	if (p->had_old) {
		rc = exchange(w, p->name, p->tmp, p->name);
	} else {
		/* NOREPLACE: a DIR/<pack> that appeared since staging is not clobbered. */
		rc = renameat2(w->dirfd, p->tmp, w->dirfd, p->name, RENAME_NOREPLACE);
		if (rc < 0 && (errno == EINVAL || errno == ENOSYS))
			rc = renameat(w->dirfd, p->tmp, w->dirfd, p->name);
		if (rc < 0 && (errno == EEXIST || errno == ENOTEMPTY))
			return lost_race(w, p);
	}
	if (rc < 0)
		return fail_errno(w, "cannot move the new '%s/%s' into place", w->dir, p->name);
	p->state = PACK_SWAPPED;
	return 0;
}

/* Undoes swap_in (SWAPPED -> STAGED); best effort during a rollback. */
static void swap_out(struct fsout *w, struct fsout_pack *p)
{
	int rc = p->had_old ? exchange(w, p->name, p->tmp, p->name)
			    : renameat(w->dirfd, p->name, w->dirfd, p->tmp);
	if (rc == 0)
		p->state = PACK_STAGED;
}

int fsout_commit(struct fsout *w)
{
	if (w->dirfd < 0)
		return fail(w, "internal error: fsout_commit before fsout_open");
	bool staged = false;
	for (size_t i = 0; i < w->count; i++)
		staged |= w->packs[i].state == PACK_STAGED;
	/* Nothing staged (an unchanged rebuild): no flush at all. */
	if (staged && sync_all_staged(w) < 0)
		return fail_errno(w, "cannot sync the new trees in '%s'", w->dir);
	for (size_t i = 0; i < w->count; i++) {
		struct fsout_pack *p = &w->packs[i];
		if (p->state != PACK_STAGED)
			continue;
		if (swap_in(w, p) < 0) {
			for (size_t j = i; j-- > 0;)
				if (w->packs[j].state == PACK_SWAPPED)
					swap_out(w, &w->packs[j]);
			return -1;
		}
	}
	/*
	 * Every new tree is live: the build has happened, and -1 would promise
	 * the old trees back.  What fails from here on (removing an old tree,
	 * syncing DIR) is left in fsout_error() for the caller to warn about.
	 */
	bool warned = false;
	sb_reset(&w->err);
	for (size_t i = 0; i < w->count; i++) {
		struct fsout_pack *p = &w->packs[i];
		if (p->state == PACK_UNCHANGED) {
			w->packs_unchanged++;
			continue;
		}
		w->packs_written++;
		if (p->had_old && remove_tree(w->dirfd, p->tmp, 0) < 0 && !warned) {
			fail_errno(w, "cannot remove the old tree '%s/%s'", w->dir, p->tmp);
			warned = true;
		}
		p->state = PACK_DONE;
	}
	if (w->durable && w->packs_written && fsync(w->dirfd) < 0 && !warned && errno != EINVAL)
		fail_errno(w, "cannot sync '%s'", w->dir);
	return 0;
}

void fsout_release(struct fsout *w)
{
	for (size_t i = 0; i < w->count; i++) {
		struct fsout_pack *p = &w->packs[i];
		/* A staged tree that never went live, or an old tree commit could not remove. */
		if (p->tmp && w->dirfd >= 0 && p->state != PACK_SWAPPED &&
		    (p->state == PACK_STAGED || p->had_old))
			remove_tree(w->dirfd, p->tmp, 0);
		free(p->tmp);
		free(p->name);
	}
	free(w->packs);
	for (size_t i = 0; i < w->stale_count; i++)
		free(w->stale[i]);
	free(w->stale);
	if (w->dirfd >= 0)
		close(w->dirfd);
	free(w->dir);
	sb_release(&w->err);
	fsout_init(w);
}

/* ---- one file ---- */

/* True when path holds exactly the n bytes at data. */
static bool file_holds(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	bool same = true;
	char buf[65536];
	size_t off = 0, got;
	while (same && (got = fread(buf, 1, sizeof(buf), f)) > 0) {
		same = off + got <= n && memcmp(buf, data + off, got) == 0;
		off += got;
	}
	same = same && !ferror(f) && off == n;
	fclose(f);
	return same;
}

int fsout_write_file(const char *path, const char *data, size_t n, struct sb *err)
{
	if (file_holds(path, data, n))
		return 0;
	struct sb tmp = SB_INIT;
	const char *slash = strrchr(path, '/');
	if (slash)
		sb_addf(&tmp, "%.*s/.%s.tmp.%ld", (int)(slash - path), path, slash + 1, (long)getpid());
	else
		sb_addf(&tmp, ".%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	int rc = fd < 0 ? -1 : 0;
	if (rc == 0 && (write_all(fd, data, n) < 0 || fsync(fd) < 0))
		rc = -1;
	int saved = errno;
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && rename(tmp.buf, path) != 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0) {
		sb_addf(err, "cannot write '%s': %s", path, strerror(saved));
		if (fd >= 0)
			unlink(tmp.buf);
	}
	sb_release(&tmp);
	return rc;
}
