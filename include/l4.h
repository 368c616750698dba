/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * l4.h: every L4 compatibility header (OKL4/Iguana-era names over the ucvisor
 * paravirt ABI). See l4/types.h for how they differ from OKL4.
 */
#ifndef L4_H
#define L4_H

#include "l4/types.h"
#include "l4/message.h"
#include "l4/ipc.h"
#include "l4/thread.h"
#include "l4/kdebug.h"

#endif /* L4_H */
