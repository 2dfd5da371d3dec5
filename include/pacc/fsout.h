/*
 * fsout: writes the files of a build into an output directory, all or
 * nothing.
 *
 * Each pack owns one directory, DIR/<pack>/, which is replaced as a whole:
 * the new tree is written into a fresh hidden sibling (DIR/.<pack>.tmp.<pid>.<n>,
 * flushed to disk first when durable is set), then swapped into place by
 * rename, and the old tree is
 * removed, so files of policies that were removed from the pack disappear.
 * A pack whose directory already holds exactly the new bytes is not touched
 * at all (mtimes stay, make stays quiet).  In a pack that changed, each
 * file whose bytes did not change is a hard link to the old tree's file
 * (its inode and mtime stay; nothing of the old tree is changed in place),
 * and written anew where linking fails.
 *
 * Use: fsout_init, fsout_open(DIR), fsout_stage() once per pack, then
 * fsout_commit(); fsout_release() always.  Staging changes nothing a reader
 * of DIR/<pack> can see; if staging any pack fails, release removes every
 * temporary tree and DIR is as before.  Commit swaps every staged pack and
 * puts the old trees back if a swap fails.
 *
 * Leftovers: a build that was killed leaves its staging tree behind.
 * fsout_open() notes every entry of DIR named by the staging pattern,
 * ".<pack>.tmp.<pid>.<n>" or ".<pack>.swap.<pid>.<n>", whose process is gone
 * (kill(pid, 0) fails with ESRCH), and fsout_stage() removes those of the
 * pack it stages.  Nothing else is ever removed: not another name, not the
 * tree of a live process (EPERM counts as alive).
 *
 * Concurrent builds into one DIR: each pack swap is one rename, so a reader
 * sees the old or the new tree.  Two first builds of one new pack race for
 * the rename; the loser succeeds when the winner's tree equals its own, and
 * otherwise fails (-1, the winner's tree left in place).
 *
 * Paths are trusted no further than needed: every output path must be
 * relative, '/'-separated, with no empty, ".", ".." or backslash component
 * (fsout_path_ok); a pack name is one such component not starting with '.'.
 * Everything below DIR is reached through directory descriptors with
 * O_NOFOLLOW, so a symbolic link inside DIR is never followed, and a
 * DIR/<pack> that is a symbolic link is refused.
 *
 * Failures return -1 and leave a lowercase message (naming the path and
 * the system's reason) in fsout_error(); the driver exits 2 on them.
 */
#ifndef PACC_FSOUT_H
#define PACC_FSOUT_H

#include "pacc/output.h"
#include "pacc/sb.h"

#include <stdbool.h>
#include <stddef.h>

struct fsout_pack; /* one staged pack; private to fsout.c */

struct fsout {
	char *dir;                 /* DIR as given (owned), for messages */
	int dirfd;                 /* DIR opened, or -1 */
	bool dir_missing;          /* fsout_open_existing found no DIR */
	struct fsout_pack *packs;  /* staged packs, in staging order */
	size_t count, alloc;
	unsigned serial;           /* <n> of the next temporary name */
	char **stale;              /* staging entries of dead builds, found by fsout_open */
	size_t stale_count;        /* (entries already removed are NULL) */
	struct sb err;             /* message of the last failure */
	/* Set by the caller before fsout_commit: flush the staged trees to disk
	 * before the first swap and DIR after the last (default: no flush). */
	bool durable;
	/* Statistics for the caller's summary. */
	size_t packs_written;      /* packs whose directory was replaced or created */
	size_t packs_unchanged;    /* packs left alone because nothing changed */
};

void fsout_init(struct fsout *w);
/* Opens DIR, creating it and missing parents (mode 0755).  0 or -1. */
int fsout_open(struct fsout *w, const char *dir);
/*
 * Prepares DIR/<pack> to hold exactly the files of set: compares the
 * existing tree and, when it differs, writes a temporary tree.  Nothing
 * visible changes.  pack and set are not kept.  0 or -1.
 */
int fsout_stage(struct fsout *w, const char *pack, const struct output_set *set);
/* Moves every staged tree into place and removes the old ones.  0 or -1;
 * on -1 every pack directory is as it was before the commit.  On 0 the new
 * trees are in place; a failure after that point (an old tree that could not
 * be removed, DIR that could not be synced) leaves a message in
 * fsout_error() for a warning. */
int fsout_commit(struct fsout *w);
/* Removes any temporary tree still present, closes DIR, frees memory. */
void fsout_release(struct fsout *w);

/*
 * Compares DIR/<pack> with the files of set without writing anything (the
 * `pacc build --check` of a pack), for a w opened with fsout_open_existing.
 * Appends one line per difference to report, "added: DIR/<pack>/<path>"
 * (a file of set that is missing), "changed: ..." (present with other
 * bytes, or not a regular file) and "removed: ..." (a file or other entry
 * in DIR/<pack> that set does not have; an empty directory ends in '/'),
 * added and changed in path order, then removed in path order.  Sets
 * *differences to the number of lines.  0, or -1 as fsout_stage fails.
 */
int fsout_compare(struct fsout *w, const char *pack, const struct output_set *set,
		  struct sb *report, size_t *differences);
/* Opens DIR for fsout_compare without creating it; a missing DIR is empty.  0 or -1. */
int fsout_open_existing(struct fsout *w, const char *dir);

/* The message of the last failure ("" when none). */
const char *fsout_error(const struct fsout *w);

/*
 * Writes the n bytes at data to path, atomically: into a temporary file
 * beside it (fsynced), then renamed over it.  A file that already holds
 * exactly those bytes is left untouched.  0, or -1 with a message added
 * to err; on -1 path is as it was and no temporary file is left.
 */
int fsout_write_file(const char *path, const char *data, size_t n, struct sb *err);

/* True when path is a safe relative output path (see above). */
bool fsout_path_ok(const char *path);
/* True when name is a safe pack directory name: one component, no leading '.'. */
bool fsout_name_ok(const char *name);

#endif
