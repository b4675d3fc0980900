/* hx_fixture.h - a check's fixtures: files of /etc and the hostname the
 * student's program must find.
 *
 * In a sealed sandbox they are written into its own /etc (read-only again
 * before any program starts) and its own UTS namespace. Where there are
 * no namespaces, but the grader is root in a throwaway container and says
 * so (SOCKLAB_CONTAINER=1: an autograder image), they are installed in
 * place, one check at a time under a lock, with a journal of what they
 * replaced; the machine's own files are restored when the check ends, or
 * by the next fixture check (or the grader, at its end) if it was killed.
 * The lock, the journal and the originals are kept in a folder of /tmp the
 * grader makes for itself (hx_private_dir): one made first by anyone else,
 * a student's program under the uid barrier, is refused and never read,
 * and a journal may only name the files of /etc fixtures replace.
 * Anywhere else the check is skipped, with the reason.
 */
#ifndef HX_FIXTURE_H
#define HX_FIXTURE_H

#include "hx_check.h"

/* 1 when fixtures may be installed in place here (see above). */
int hx_fixtures_in_place(void);

/* Makes path hold content for the rest of the check. In place, path is
 * one of /etc/hosts, /etc/services, /etc/resolv.conf and
 * /etc/nsswitch.conf. 0, or -1 after a skip or a failure. */
int hx_fixture_file(struct hx_check *c, const char *path, const char *content);

/* Makes the hostname name for the rest of the check: in a UTS namespace
 * of its own; in place only if it already is the machine's name. */
int hx_fixture_hostname(struct hx_check *c, const char *name);

/* Puts back what fixtures installed in place replaced, and lets the next
 * such check go on; called when a check ends. */
void hx_fixtures_restore(struct hx_check *c);

/* In the grader, once every sandbox has ended: restores what a check
 * killed before it could left in place. */
void hx_fixtures_recover(void);

#endif
