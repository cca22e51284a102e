/*
 * host/core/files.h - small filesystem helpers the layers share.
 */
#ifndef RT_FILES_H
#define RT_FILES_H

/* mkdir -p: create `path` and its missing parents (mode 0755). 0 on success (also when it
 * exists), -1 with errno set otherwise (ENAMETOOLONG beyond 4095 bytes). */
int rt_make_dirs(const char *path);

#endif
