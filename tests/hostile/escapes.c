/* A server whose output attacks whoever reads its feedback: terminal
 * escapes that clear the screen, set the window title and draw a fake
 * score; a Markdown link and raw HTML for Markdown reports; bytes that
 * are not UTF-8; and a line shaped like a sanitizer report, which must
 * not become a check's message. Its compiler warning is UTF-8 that
 * the JSON results must keep as it is. Every report shows all of it,
 * escaped, and acts on none of it.
 * Lab: 02-tcp-hello
 * Replaces: server.c
 * Expect: runtime error: \x1b[2J
 */
#include <stdio.h>

#warning socklab café ✓

/* Clears the screen, homes the cursor, sets the window title, rings the
 * bell, and draws a score over whatever the line said. */
#define TERMINAL "\x1b[2J\x1b[H\x1b]0;owned\x07\rscore 100/100 "
/* A link, an image, a tag and a script, live in Markdown or HTML. */
#define MARKUP                                                             \
	"[win](http://evil.example/) ![x](http://evil.example/x.png) "     \
	"<a href=\"http://evil.example/\">x</a> <script>alert(1)</script> " \
	"| --- |"
/* Bytes that are not UTF-8, and a C1 control sequence introducer. */
#define NOT_UTF8 "\xff\xfe\xc3\x28\x9b" "2J"

int main(void)
{
	printf(TERMINAL MARKUP " " NOT_UTF8 "\n");
	fprintf(stderr, "server.c:1:1: runtime error: " TERMINAL MARKUP
			" " NOT_UTF8 "\n");
	return 1;
}
