/* sl_capture.h - each check's packets, written where --pcap asks.
 *
 * A check's sandbox sends its capture back with its verdict
 * (harness/hx_capture.h); the grader writes it to DIR/NN-name-ID.pcap, a
 * classic pcap file that Wireshark and tshark open. Functions that can
 * fail return 0, or -1 with a message in err.
 */
#ifndef SL_CAPTURE_H
#define SL_CAPTURE_H

#include "sl_grade.h"

/* The file of a check's capture: DIR/NN-name-ID.pcap. */
void sl_capture_path(const struct sl_run *run, const struct sl_check *check,
		     char *out, size_t size);
/* Makes a folder the grader writes its files into (--pcap, --html) with
 * its parents, before any grading, so that a folder that cannot be
 * written is said at once; option names it in the message. */
int sl_output_folder(const char *option, const char *dir, char *err,
		     size_t errlen);
/* Writes the capture of each check that ran; a check that sent none
 * leaves no file, not even one of an earlier run. */
int sl_capture_write(const struct sl_run *run, char *err, size_t errlen);
/* What a report says of a check's capture: its file and packets, and
 * what it lacks; or why there is none. Nothing without --pcap. */
void sl_capture_describe(const struct sl_run *run, const struct sl_result *r,
			 struct hx_buf *out);
/* Captures written for the run. */
int sl_capture_files(const struct sl_run *run);

#endif
