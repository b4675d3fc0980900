/* test_elf.c - the functions an executable defines (sl_elf.h), read
 * from this test's own executable, and images that lie about their
 * offsets. */
#include "unit.h"

#include <elf.h>

#include "../../grader/sl_elf.h"

/* what the reader must list, and what it must not */
int sl_elf_probe_function(void);
int sl_elf_probe_variable = 7;
__attribute__((weak)) int sl_elf_probe_weak(void)
{
	return 3;
}

int sl_elf_probe_function(void)
{
	return 1;
}

static int sl_elf_probe_static(void)
{
	return 2;
}

struct seen {
	int function, variable, weak, local, main, printf;
	int count;
};

static void note(const char *name, void *arg)
{
	struct seen *s = arg;

	s->count++;
	s->function += strcmp(name, "sl_elf_probe_function") == 0;
	s->variable += strcmp(name, "sl_elf_probe_variable") == 0;
	s->weak += strcmp(name, "sl_elf_probe_weak") == 0;
	s->local += strcmp(name, "sl_elf_probe_static") == 0;
	s->main += strcmp(name, "main") == 0;
	s->printf += strcmp(name, "printf") == 0; /* only referenced */
}

/* This executable's bytes. */
static unsigned char *own_image(size_t *len)
{
	struct stat st;
	unsigned char *bytes;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	bytes = malloc((size_t)st.st_size);
	assert_non_null(bytes);
	assert_int_equal(read(fd, bytes, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return bytes;
}

static void test_own_functions(void **state)
{
	struct seen s = {0};
	size_t len;
	unsigned char *bytes = own_image(&len);

	(void)state;
	assert_int_equal(sl_elf_probe_function() + sl_elf_probe_static() +
			     sl_elf_probe_weak(),
			 6);
	assert_int_equal(sl_elf_functions(bytes, len, note, &s), 0);
	assert_int_equal(s.function, 1);
	assert_int_equal(s.weak, 1);
	assert_int_equal(s.main, 1);
	assert_int_equal(s.variable, 0);
	assert_int_equal(s.local, 0);
	assert_int_equal(s.printf, 0);
	free(bytes);
}

/* Every lie about where a table lies ends in -1, never a read outside. */
static void test_lying_images(void **state)
{
	struct seen s = {0};
	size_t len;
	unsigned char *bytes = own_image(&len);
	unsigned char *copy = malloc(len);
	Elf64_Ehdr eh;
	Elf64_Shdr *sh;

	(void)state;
	assert_non_null(copy);
	memcpy(&eh, bytes, sizeof(eh));
	/* short, or not ELF at all */
	assert_int_equal(sl_elf_functions(bytes, 16, note, &s), -1);
	assert_int_equal(
	    sl_elf_functions(bytes, (size_t)eh.e_shoff + 10, note, &s), -1);
	memcpy(copy, "#!/bin/sh\necho hello\n", 22);
	assert_int_equal(sl_elf_functions(copy, 22, note, &s), -1);
	/* section headers past the end */
	memcpy(copy, bytes, len);
	((Elf64_Ehdr *)copy)->e_shoff = len - 8;
	assert_int_equal(sl_elf_functions(copy, len, note, &s), -1);
	/* every symbol table's offset, size or names past the end */
	for (int what = 0; what < 3; what++) {
		memcpy(copy, bytes, len);
		sh = (Elf64_Shdr *)(copy + eh.e_shoff);
		for (int i = 0; i < eh.e_shnum; i++) {
			if (sh[i].sh_type != SHT_SYMTAB &&
			    sh[i].sh_type != SHT_DYNSYM)
				continue;
			if (what == 0)
				sh[i].sh_offset = len + 4096;
			else if (what == 1)
				sh[i].sh_size = ~(Elf64_Xword)0 - 8;
			else
				sh[i].sh_link = 60000;
		}
		assert_int_equal(sl_elf_functions(copy, len, note, &s), -1);
	}
	assert_int_equal(s.count, 0);
	free(copy);
	free(bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_own_functions),
	    cmocka_unit_test(test_lying_images),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
