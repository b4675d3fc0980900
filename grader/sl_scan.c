/* sl_scan.c - what a student's C file may not use. */
#include "sl_scan.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* A name refused, and why. */
struct sl_refusal {
	const char *name;
	const char *why;
};

/* Identifiers refused anywhere. */
static const struct sl_refusal sl_refused[] = {
    {"asm", "inline assembly"},
    {"__asm", "inline assembly"},
    {"__asm__", "inline assembly"},
    {"_Pragma", "a pragma"},
    {"constructor", "a constructor, which runs before main"},
    {"__constructor__", "a constructor, which runs before main"},
    {"destructor", "a destructor, which runs after main"},
    {"__destructor__", "a destructor, which runs after main"},
    {"ifunc", "an ifunc resolver, which runs before main"},
    {"__ifunc__", "an ifunc resolver, which runs before main"},
    {"init_priority", "a constructor's priority"},
    {"__SANITIZE_ADDRESS__", "code that behaves otherwise under the "
			     "sanitizers"},
    {"__has_feature", "code that behaves otherwise under the sanitizers"},
};

/* Prefixes of the sanitizers' own names: hooks and calls that turn a
 * check off or hide its report. */
static const char *const sl_refused_prefixes[] = {
    "__asan_", "__lsan_", "__ubsan_", "__sanitizer_", "__tsan_", NULL};

/* Attributes refused inside __attribute__((...)). */
static const struct sl_refusal sl_refused_attributes[] = {
    {"section", "a function or variable placed in a section of its own"},
    {"alias", "an alias of another symbol"},
    {"weak", "a weak symbol"},
    {"weakref", "a weak reference"},
};

static int sl_is_attribute(const char *word, size_t n, const char *name)
{
	size_t len = strlen(name);

	if (n == len && strncmp(word, name, n) == 0)
		return 1;
	/* the same with its underscores: __section__ */
	return n == len + 4 && strncmp(word, "__", 2) == 0 &&
	       strncmp(word + 2, name, len) == 0 &&
	       strncmp(word + 2 + len, "__", 2) == 0;
}

static int sl_refuse(char *why, size_t size, int line, const char *what)
{
	snprintf(why, size, "line %d: %s", line, what);
	return -1;
}

int sl_scan_source(const char *text, size_t len, char *why, size_t size)
{
	int line = 1, define = 0, start_of_line = 1;
	int attribute_depth = -1, depth = 0;
	size_t i = 0;

	while (i < len) {
		char ch = text[i];

		if (ch == '\n') {
			/* a directive ends at a newline not escaped */
			if (!(i > 0 && text[i - 1] == '\\'))
				define = 0;
			line++;
			start_of_line = 1;
			i++;
			continue;
		}
		if (ch == '/' && i + 1 < len && text[i + 1] == '/') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		if (ch == '/' && i + 1 < len && text[i + 1] == '*') {
			for (i += 2; i + 1 < len &&
				     !(text[i] == '*' && text[i + 1] == '/');
			     i++)
				line += text[i] == '\n';
			i += 2;
			continue;
		}
		if (ch == '"' || ch == '\'') {
			for (i++; i < len && text[i] != ch && text[i] != '\n';
			     i++)
				if (text[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (ch == '#' && i + 1 < len && text[i + 1] == '#')
			return sl_refuse(why, size, line,
					 "the ## operator, which makes names "
					 "no one can read");
		if (ch == '#' && start_of_line) {
			i++;
			while (i < len && (text[i] == ' ' || text[i] == '\t'))
				i++;
			if (len - i >= 6 && strncmp(text + i, "pragma", 6) == 0)
				return sl_refuse(why, size, line,
						 "#pragma: a solution needs "
						 "none, and it may silence "
						 "the warnings the build "
						 "check counts");
			if (len - i >= 6 && strncmp(text + i, "define", 6) == 0)
				define = 1;
			continue;
		}
		if (!isspace((unsigned char)ch))
			start_of_line = 0;
		if (isalpha((unsigned char)ch) || ch == '_') {
			size_t from = i;

			while (i < len && (isalnum((unsigned char)text[i]) ||
					   text[i] == '_'))
				i++;
			for (size_t k = 0;
			     k < sizeof(sl_refused) / sizeof(sl_refused[0]);
			     k++)
				if (i - from == strlen(sl_refused[k].name) &&
				    strncmp(text + from, sl_refused[k].name,
					    i - from) == 0)
					return sl_refuse(why, size, line,
							 sl_refused[k].why);
			for (int k = 0; sl_refused_prefixes[k]; k++)
				if (i - from > strlen(sl_refused_prefixes[k]) &&
				    strncmp(text + from, sl_refused_prefixes[k],
					    strlen(sl_refused_prefixes[k])) ==
					0)
					return sl_refuse(
					    why, size, line,
					    "a name of the sanitizers' own, "
					    "which may turn a check off");
			if ((i - from == 13 &&
			     strncmp(text + from, "__attribute__", 13) == 0) ||
			    (i - from == 11 &&
			     strncmp(text + from, "__attribute", 11) == 0)) {
				if (define)
					return sl_refuse(
					    why, size, line,
					    "a macro that hides an "
					    "__attribute__");
				attribute_depth = depth;
			}
			if (attribute_depth >= 0)
				for (size_t k = 0;
				     k < sizeof(sl_refused_attributes) /
					     sizeof(sl_refused_attributes[0]);
				     k++)
					if (sl_is_attribute(
						text + from, i - from,
						sl_refused_attributes[k].name))
						return sl_refuse(
						    why, size, line,
						    sl_refused_attributes[k]
							.why);
			continue;
		}
		if (ch == '(')
			depth++;
		if (ch == ')' && --depth <= attribute_depth)
			attribute_depth = -1;
		i++;
	}
	return 0;
}
