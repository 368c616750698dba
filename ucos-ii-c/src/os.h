/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os.h: convenience header for code written against the os.h name.
 */
#ifndef OS_H
#define OS_H

#include "ucos_ii.h"

typedef INT8U OS_ERR;

#endif /* OS_H */
