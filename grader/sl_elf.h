/* sl_elf.h - the functions an executable defines, read from its symbol
 * table (what `nm --defined-only --extern-only` lists as T, W or i).
 *
 * The build sandbox asks this of every executable a compiler wrote: a
 * test driver linked with a student's files may not define a function
 * of the C library, nor may any program define a sanitizer's hook. The
 * file is the compiler's output from a student's code, so every offset
 * in it is checked before it is followed.
 */
#ifndef SL_ELF_H
#define SL_ELF_H

#include <stddef.h>

/* Calls visit(name, arg) for each function the 64-bit ELF image in
 * bytes[0..len) defines with external linkage: global in an executable
 * section, weak, or an indirect function. Reads the full symbol table,
 * or the dynamic one when the full one was stripped. 0, or -1 when the
 * image is not such a file or an offset in it points outside. */
int sl_elf_functions(const unsigned char *bytes, size_t len,
		     void (*visit)(const char *name, void *arg), void *arg);

#endif
