#include "pacc/cmd_pipeline.h"

#include "pacc/diag.h"
#include "pacc/gen_pipeline.h"
#include "pacc/project.h"
#include "pacc/sb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct cli_option cmd_pipeline_options[CMD_PIPELINE_OPTION_COUNT] = {
	[CMD_PIPELINE_OPT_OUTPUT] = { "output", 'o', "FILE",
				      "write the definition to FILE (default: standard output)" },
	[CMD_PIPELINE_OPT_MANIFEST] = { "manifest", 0, "FILE",
					"the project manifest (default: ./pacc.yaml)" },
};

static bool same_bytes(const char *path, const struct sb *data)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	bool same = true;
	size_t at = 0;
	char buf[8192];
	size_t n;
	while (same && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		same = at + n <= data->len && memcmp(buf, data->buf + at, n) == 0;
		at += n;
	}
	same = same && !ferror(f) && at == data->len;
	fclose(f);
	return same;
}

/* Writes data to path all at once: a temporary sibling, fsync, rename. */
static int write_file(const struct cli *cli, const char *path, const struct sb *data)
{
	if (same_bytes(path, data))
		return CLI_EXIT_OK;
	struct sb tmp = SB_INIT;
	const char *slash = strrchr(path, '/');
	if (slash)
		sb_add(&tmp, path, (size_t)(slash - path + 1));
	sb_addf(&tmp, ".%s.tmp.%ld", slash ? slash + 1 : path, (long)getpid());
	int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	bool ok = fd >= 0;
	for (size_t at = 0; ok && at < data->len;) {
		ssize_t n = write(fd, data->buf + at, data->len - at);
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		at += ok ? (size_t)n : 0;
	}
	ok = ok && fsync(fd) == 0;
	int saved = errno;
	if (fd >= 0 && close(fd) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (ok && rename(tmp.buf, path) != 0) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		if (fd >= 0)
			unlink(tmp.buf);
		cli_error(cli, "cannot write '%s': %s", path, strerror(saved));
	}
	sb_release(&tmp);
	return ok ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int cmd_pipeline_run(const struct cli *cli, const struct cli_args *args)
{
	if (args->operand_count != 1)
		return cli_usage_error(cli, "pipeline",
				       args->operand_count
					       ? "'pipeline' takes one kind: github or azure-devops"
					       : "no pipeline kind given (github or azure-devops)");
	enum gen_pipeline_kind kind;
	if (strcmp(args->operands[0], "github") == 0) {
		kind = GEN_PIPELINE_GITHUB;
	} else if (strcmp(args->operands[0], "azure-devops") == 0) {
		kind = GEN_PIPELINE_AZURE_DEVOPS;
	} else {
		cli_error(cli, "unknown pipeline kind '%s'", args->operands[0]);
		const char *kinds[] = { "github", "azure-devops" };
		const char *best = diag_closest(args->operands[0], kinds, 2);
		if (best)
			fprintf(cli->err, "help: did you mean '%s'?\n", best);
		return CLI_EXIT_USAGE;
	}
	const char *manifest = args->values[CMD_PIPELINE_OPT_MANIFEST];
	const char *output = args->values[CMD_PIPELINE_OPT_OUTPUT];
	if (!manifest)
		manifest = PROJECT_MANIFEST;
	if (!*manifest || (output && !*output))
		return cli_usage_error(cli, "pipeline", "an empty file name");

	struct diag_engine d;
	cli_diag_init(cli, &d);
	struct project p;
	project_init(&p);
	int status = project_open(&p, manifest, &d, cli->err);
	if (status == CLI_EXIT_OK)
		status = project_load_packs(&p, &d, cli->err);
	if (status == CLI_EXIT_OK)
		status = project_resolve(&p, &d);
	if (status == CLI_EXIT_OK && diag_has_errors(&d))
		status = CLI_EXIT_INPUT;
	if (status == CLI_EXIT_OK) {
		struct sb out = SB_INIT;
		gen_pipeline(kind, &p, manifest, &out);
		if (output) {
			status = write_file(cli, output, &out);
		} else {
			fwrite(out.buf, 1, out.len, cli->out);
		}
		sb_release(&out);
	}
	cli_render(cli, &d);
	if (cli->format == DIAG_FORMAT_TEXT)
		cli_summary(cli, &d, "; nothing was written");
	project_release(&p);
	diag_release(&d);
	return status;
}
