/* sl_unpack.h - safe unpacking of students' archives, and their names. */
#ifndef SL_UNPACK_H
#define SL_UNPACK_H

#include <stddef.h>

/* 1 for an ASCII letter or digit. */
int sl_is_alnum(char ch);
/* 1 for a student id socklab accepts: letters, digits and ._@+- only,
 * starting with a letter or digit. */
int sl_good_id(const char *id);
/* An entry name as it may be shown: non-printable bytes as '?'. */
void sl_show_name(char *out, size_t size, const char *name);
/* Unpacks archive (a .zip when is_zip, else a .tar.gz) into root; when
 * it is refused, why says what went wrong and why[0] is set. */
void sl_unpack(const char *archive, int is_zip, const char *root, char *why,
	       size_t whylen);

#endif
