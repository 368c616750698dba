/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * l4/kdebug.h: kernel debugger output over pv_debug_write.
 *
 * ucvisor has no interactive kernel debugger: only the console output calls
 * exist (L4_KDB_Enter does not).
 */
#ifndef L4_KDEBUG_H
#define L4_KDEBUG_H

#include "types.h"

/* Writes `length` bytes, in pieces of at most PV_DEBUG_WRITE_MAX. Returns the
 * PV_ERR_* code of the first failing piece, or PV_OK (ucvisor addition). */
static inline L4_Word_t L4_KDB_Write(const char *text, L4_Word_t length)
{
    while (length > 0) {
        L4_Word_t piece = length < PV_DEBUG_WRITE_MAX ? length : PV_DEBUG_WRITE_MAX;
        L4_Word_t result = pv_debug_write_chars(text, piece);
        if (result != PV_OK) {
            return result;
        }
        text += piece;
        length -= piece;
    }
    return PV_OK;
}

static inline void L4_KDB_PrintString(const char *s)
{
    L4_Word_t length = 0;
    while (s[length] != '\0') {
        length++;
    }
    (void)L4_KDB_Write(s, length);
}

static inline void L4_KDB_PrintChar(char c)
{
    (void)L4_KDB_Write(&c, 1);
}

#endif /* L4_KDEBUG_H */
