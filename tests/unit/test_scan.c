/* test_scan.c - what a student's C file may not use (sl_scan.h): each
 * refused construct by its line, and code that only looks like one. */
#include "unit.h"

#include "../../grader/sl_scan.h"

struct scan_case {
	const char *source;
	const char *why; /* NULL: accepted; else a part of the reason */
};

static const struct scan_case cases[] = {
    {"static void f(void) __attribute__((constructor));\n", "constructor"},
    {"__attribute__ ((__constructor__(101))) void f(void) {}\n", "constructor"},
    {"void f(void) __attribute__((destructor));\n", "destructor"},
    {"int x;\nvoid g(void) { __asm__ volatile(\"nop\"); }\n",
     "line 2: inline assembly"},
    {"#pragma GCC diagnostic ignored \"-Wunused\"\n", "#pragma"},
    {"  #  pragma once\n", "#pragma"},
    {"_Pragma(\"GCC diagnostic ignored \\\"-Wall\\\"\")\n", "a pragma"},
    {"#define CAT(a, b) a##b\n", "##"},
    {"#define HIDE __attribute__\n", "hides an __attribute__"},
    {"static void (*p)(void) __attribute__((section(\".init_array\")));\n",
     "section"},
    {"int f(void) __attribute__((weak, alias(\"g\")));\n", "a weak symbol"},
    {"void *r(void) { return 0; }\nvoid f(void) "
     "__attribute__((ifunc(\"r\")));\n",
     "ifunc"},
    {"int __lsan_is_turned_off(void) { return 1; }\n", "sanitizers' own"},
    {"#ifdef __SANITIZE_ADDRESS__\n#endif\n", "sanitizers"},
    /* look-alikes that are fine */
    {"/* a constructor, asm and #pragma in a comment */\n"
     "// __attribute__((constructor))\n"
     "const char *s = \"asm constructor ## #pragma\";\n"
     "char c = '#';\n",
     NULL},
    {"static int section = 1, alias = 2, weak = 3;\n"
     "static int __attribute__((unused)) used;\n"
     "int f(int a) { return a # 2; }\n",
     NULL},
    {"#include <stdio.h>\n#define SQUARE(x) ((x) * (x))\n"
     "#define NAME(x) #x\n",
     NULL},
};

static void test_scan_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char why[256] = "";
		int rc = sl_scan_source(
		    cases[i].source, strlen(cases[i].source), why, sizeof(why));

		if (!cases[i].why) {
			if (rc != 0)
				print_message("case %zu refused: %s\n", i, why);
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, -1);
			if (!strstr(why, cases[i].why))
				print_message("case %zu: %s\n", i, why);
			assert_non_null(strstr(why, cases[i].why));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scan_cases),
	};

	unit_init();
	return cmocka_run_group_tests_name("sl_scan", tests, NULL, NULL);
}
