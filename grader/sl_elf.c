/* sl_elf.c - the functions an executable defines, from its symbol table. */
#include "sl_elf.h"

#include <elf.h>
#include <string.h>

/* 1 when [offset, offset + size) lies within len bytes. */
static int sl_within(size_t len, Elf64_Off offset, Elf64_Xword size)
{
	return offset <= len && size <= len - offset;
}

/* 1 when sym is a function defined with external linkage, as nm shows T
 * (global, in code), W (weak, not an object) or i (indirect). */
static int sl_exported_function(const Elf64_Sym *sym, const Elf64_Shdr *shdr,
				int nsections)
{
	int bind = ELF64_ST_BIND(sym->st_info);
	int type = ELF64_ST_TYPE(sym->st_info);

	if (sym->st_shndx == SHN_UNDEF || type == STT_SECTION ||
	    type == STT_FILE)
		return 0;
	if (type == STT_GNU_IFUNC)
		return 1;
	if (bind == STB_WEAK)
		return type != STT_OBJECT;
	if (bind != STB_GLOBAL && bind != STB_GNU_UNIQUE)
		return 0;
	if (sym->st_shndx >= nsections)
		return 0; /* SHN_ABS, SHN_COMMON: no code */
	return (shdr[sym->st_shndx].sh_flags & SHF_EXECINSTR) != 0;
}

/* Visits the functions of symbol table section s. 0 or -1. */
static int sl_visit_table(const unsigned char *bytes, size_t len,
			  const Elf64_Shdr *shdr, int nsections, int s,
			  void (*visit)(const char *name, void *arg), void *arg)
{
	const Elf64_Shdr *table = &shdr[s], *names;
	Elf64_Xword count;

	if (table->sh_entsize != sizeof(Elf64_Sym) ||
	    table->sh_link >= (Elf64_Word)nsections ||
	    !sl_within(len, table->sh_offset, table->sh_size))
		return -1;
	names = &shdr[table->sh_link];
	if (names->sh_type != SHT_STRTAB || names->sh_size == 0 ||
	    !sl_within(len, names->sh_offset, names->sh_size) ||
	    bytes[names->sh_offset + names->sh_size - 1] != '\0')
		return -1;
	count = table->sh_size / sizeof(Elf64_Sym);
	for (Elf64_Xword i = 1; i < count; i++) {
		Elf64_Sym sym;

		memcpy(&sym, bytes + table->sh_offset + i * sizeof(sym),
		       sizeof(sym));
		if (sym.st_name == 0 || sym.st_name >= names->sh_size ||
		    !sl_exported_function(&sym, shdr, nsections))
			continue;
		/* the table ends with a NUL: every name does */
		visit((const char *)bytes + names->sh_offset + sym.st_name,
		      arg);
	}
	return 0;
}

int sl_elf_functions(const unsigned char *bytes, size_t len,
		     void (*visit)(const char *name, void *arg), void *arg)
{
	static Elf64_Shdr shdr[4096];
	Elf64_Ehdr eh;
	int nsections, full = -1, dynamic = -1;

	if (len < sizeof(eh))
		return -1;
	memcpy(&eh, bytes, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 ||
	    eh.e_shnum > sizeof(shdr) / sizeof(shdr[0]) ||
	    !sl_within(len, eh.e_shoff,
		       (Elf64_Xword)eh.e_shnum * sizeof(Elf64_Shdr)))
		return -1;
	nsections = eh.e_shnum;
	memcpy(shdr, bytes + eh.e_shoff, (size_t)nsections * sizeof(shdr[0]));
	for (int s = 0; s < nsections; s++) {
		if (shdr[s].sh_type == SHT_SYMTAB && full < 0)
			full = s;
		if (shdr[s].sh_type == SHT_DYNSYM && dynamic < 0)
			dynamic = s;
	}
	if (full < 0 && dynamic < 0)
		return -1;
	return sl_visit_table(bytes, len, shdr, nsections,
			      full >= 0 ? full : dynamic, visit, arg);
}
