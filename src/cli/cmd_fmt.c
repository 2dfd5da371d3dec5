#include "pacc/cmd_fmt.h"

#include "pacc/arena.h"
#include "pacc/fmt.h"
#include "pacc/sb.h"
#include "pacc/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct cli_option cmd_fmt_options[CMD_FMT_OPTION_COUNT] = {
	[CMD_FMT_OPT_CHECK] = { "check", 0, NULL,
				"write nothing; list the files that are not formatted and exit 1 "
				"if there is one" },
};

/*
 * Replaces path by data: a temporary file beside it (O_EXCL, synced, with
 * path's permissions), renamed over it.  0, or -1 with errno set.
 */
static int replace_file(const char *path, const struct sb *data)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	struct sb tmp = SB_INIT;
	sb_addf(&tmp, "%s.fmt.tmp.%ld", path, (long)getpid());
	int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      st.st_mode & 07777);
	int rc = fd < 0 ? -1 : 0;
	for (size_t off = 0; rc == 0 && off < data->len;) {
		ssize_t k = write(fd, data->buf + off, data->len - off);
		if (k < 0 && errno != EINTR)
			rc = -1;
		else if (k > 0)
			off += (size_t)k;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = -1;
	if (fd >= 0 && close(fd) < 0)
		rc = -1;
	if (rc == 0 && rename(tmp.buf, path) < 0)
		rc = -1;
	int saved = errno;
	if (rc < 0 && fd >= 0)
		unlink(tmp.buf);
	sb_release(&tmp);
	errno = saved;
	return rc;
}

/*
 * Formats one file (or stdin for "-"); returns the exit status it calls for.
 * *srcp receives the source, which d's records point into (the caller frees it).
 */
static int fmt_one(const struct cli *cli, const char *path, bool check, struct diag_engine *d,
		   struct source **srcp)
{
	bool is_stdin = strcmp(path, "-") == 0;
	struct source *src = NULL;
	if (source_read(path, &src) != SOURCE_OK) {
		cli_error(cli, "cannot read '%s': %s", path, errno ? strerror(errno) : "file too large");
		return CLI_EXIT_USAGE;
	}
	char *name = cli_pack_name(path);
	struct sb out = SB_INIT;
	enum fmt_status st = fmt_pack(src, name, d, &out);
	int status = CLI_EXIT_OK;
	if (st == FMT_ERRORS) {
		status = CLI_EXIT_INPUT;
	} else if (st == FMT_INTERNAL) {
		fprintf(cli->err, "pacc: error: internal error: formatting '%s' would change its "
				  "meaning; it was left alone\n", path);
		status = CLI_EXIT_USAGE;
	} else if (is_stdin) {
		fwrite(out.buf, 1, out.len, cli->out);
	} else if (out.len != src->len || memcmp(out.buf, src->text, out.len) != 0) {
		if (check) {
			fprintf(cli->out, "%s\n", path);
			status = CLI_EXIT_INPUT;
		} else if (replace_file(path, &out) < 0) {
			cli_error(cli, "cannot write '%s': %s", path, strerror(errno));
			status = CLI_EXIT_USAGE;
		}
	}
	sb_release(&out);
	free(name);
	*srcp = src;
	return status;
}

int cmd_fmt_run(const struct cli *cli, const struct cli_args *args)
{
	static char dash[] = "-";
	char *stdin_only[] = { dash };
	char *const *paths = args->operand_count ? args->operands : stdin_only;
	size_t n = args->operand_count ? args->operand_count : 1;
	struct source **sources = xcalloc(n, sizeof(*sources));
	bool check = args->values[CMD_FMT_OPT_CHECK] != NULL;
	int status = CLI_EXIT_OK;
	struct diag_engine d;
	cli_diag_init(cli, &d);
	for (size_t i = 0; i < n && !diag_should_stop(&d); i++) {
		int s = fmt_one(cli, paths[i], check, &d, &sources[i]);
		if (s > status)
			status = s;
	}
	cli_render(cli, &d);
	diag_release(&d);
	for (size_t i = 0; i < n; i++)
		source_free(sources[i]);
	free(sources);
	return status;
}
