/* replay.c - a main() for a fuzz target without libFuzzer: feed it the files
 * named on the command line (directories: every file inside), once each, as
 * "make check" does with the seed corpora and the regression inputs. Any
 * build runs it: gcc, ASan+UBSan, valgrind.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Besides crashes, it fails an input whose handling pushes the peak RSS
 * over REPLAY_RSS_MAX_MB: a few-KB file must not make a loader allocate
 * gigabytes (libFuzzer's -rss_limit_mb does the same when fuzzing). */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_RSS_MAX_MB 1024

static int replay_file(const char *path)
{
	struct rusage ru;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	do {
		if (len == cap && !(buf = realloc(buf, cap = cap * 2 + 4096)))
			abort();
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	getrusage(RUSAGE_SELF, &ru);
	if (ru.ru_maxrss / 1024 > REPLAY_RSS_MAX_MB) {
		fprintf(stderr, "replay: %s: peak RSS %ld MB (limit %d MB)\n", path,
			ru.ru_maxrss / 1024, REPLAY_RSS_MAX_MB);
		return 1;
	}
	return 0;
}

static int replay_path(const char *path, int *count)
{
	struct dirent **names;
	struct stat st;
	int n, bad = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		++*count;
		return replay_file(path);
	}
	if ((n = scandir(path, &names, NULL, alphasort)) < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		char sub[4096];
		if (names[i]->d_name[0] != '.' && strcmp(names[i]->d_name, "README.md") != 0) {
			snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
			bad |= replay_path(sub, count);
		}
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	int bad = 0, count = 0;

	for (int i = 1; i < argc; i++)
		bad |= replay_path(argv[i], &count);
	printf("replay: %d inputs%s\n", count, bad ? ", FAILED" : ", ok");
	return bad;
}
