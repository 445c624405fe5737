// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * open + read to EOF + close of one file, N times; prints reads/s.
 *   readbench FILE [N]
 * A benchmark, never a test: compare runs made side by side.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	long n = argc > 2 ? atol(argv[2]) : 20000;
	struct timespec a, b;
	double s;

	if (argc < 2) {
		fprintf(stderr, "usage: readbench FILE [N]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		int fd = open(argv[1], O_RDONLY);
		ssize_t r;

		if (fd < 0) {
			perror(argv[1]);
			return 1;
		}
		while ((r = read(fd, buf, sizeof(buf))) > 0)
			;
		close(fd);
		if (r < 0) {
			perror("read");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%s: %.0f reads/s (%ld in %.2f s)\n", argv[1], (double)n / s, n, s);
	return 0;
}
