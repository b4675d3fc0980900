/* sl_unpack.h - safe unpacking of students' archives, and their names. */
#ifndef SL_UNPACK_H
#define SL_UNPACK_H

#include <stddef.h>

#define SL_UNPACK_MAX_BYTES (10 << 20) /* what one archive may unpack to */
#define SL_UNPACK_MAX_FILES 200	       /* entries one archive may hold */
/* Bytes of an entry read and written at a time. The limit is checked
 * before each write, so a refused archive never wrote more than
 * SL_UNPACK_MAX_BYTES; tests allow this much on top of it. */
#define SL_UNPACK_CHUNK (64 << 10)

/* 1 for an ASCII letter or digit. */
int sl_is_alnum(char ch);
/* 1 for a student id socklab accepts: letters, digits and ._@+- only,
 * starting with a letter or digit. */
int sl_good_id(const char *id);
/* An entry name as it may be shown: non-printable bytes as '?'. */
void sl_show_name(char *out, size_t size, const char *name);
/* Unpacks archive (zip or tar, plain or compressed with gzip, bzip2, xz or
 * zstd; the format is read from its bytes, not its name) into root, a
 * folder it creates. When the archive is refused, why says what went
 * wrong, and root and everything written into it are removed again;
 * otherwise why is "". */
void sl_unpack(const char *archive, const char *root, char *why, size_t whylen);

#endif
