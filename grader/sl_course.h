/* sl_course.h - several labs graded at once, their reports in order. */
#ifndef SL_COURSE_H
#define SL_COURSE_H

#include <stdio.h>

#include "sl_grade.h"

/* What one lab of a grade run came to, for the course's summary. */
struct sl_lab_total {
	const struct sl_lab *lab; /* the lab */
	int score, max_score;	  /* public points earned and possible */
	int64_t duration_ms;	  /* its wall time */
};
/* Grades one lab and prints its report on stdout; 0, 1 or 2 as grade. */
typedef int sl_grade_one_fn(const struct sl_options *opt,
			    const struct sl_lab *lab, struct sl_lab_total *t);
/* Grades each lab with grade in a worker of its own, several at once,
 * and prints their reports on out in the labs' order; fills totals.
 * Returns the worst status. */
int sl_grade_course(const struct sl_options *opt,
		    const struct sl_lab *const *labs, int n,
		    sl_grade_one_fn *grade, struct sl_lab_total *totals,
		    FILE *out);

#endif
