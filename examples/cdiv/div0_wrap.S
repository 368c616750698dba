/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * div0_wrap.S — for the `cdiv_default` build (-DCDIV_WRAP_DIV0): counts calls of
 * libgcc's division-by-zero handlers and then runs libgcc's own default ones.
 *
 * That build links with GuestBuild::wrap("__aeabi_idiv0") and
 * wrap("__aeabi_ldiv0"): libgcc's division routines then call the
 * __wrap___aeabi_* entries below, and __real___aeabi_* are libgcc's (weak)
 * defaults. Written in assembly because a C wrapper may change r1-r3, which
 * carry the remainder back to the caller of __aeabi_idivmod (r1) and
 * __aeabi_ldivmod (r2:r3): here only ip is used, and r0 is saved and restored,
 * so what the caller sees is exactly libgcc's default behaviour.
 */
#ifdef CDIV_WRAP_DIV0

    .syntax unified
    .arm

    .section .text.__wrap___aeabi_idiv0, "ax", %progbits
    .global __wrap___aeabi_idiv0
    .type __wrap___aeabi_idiv0, %function
__wrap___aeabi_idiv0:
    push {r0, lr}
    ldr ip, =cdiv_idiv0_calls
    ldr r0, [ip]
    add r0, r0, #1
    str r0, [ip]
    pop {r0, lr}
    b __real___aeabi_idiv0
    .ltorg
    .size __wrap___aeabi_idiv0, . - __wrap___aeabi_idiv0

    .section .text.__wrap___aeabi_ldiv0, "ax", %progbits
    .global __wrap___aeabi_ldiv0
    .type __wrap___aeabi_ldiv0, %function
__wrap___aeabi_ldiv0:
    push {r0, lr}
    ldr ip, =cdiv_ldiv0_calls
    ldr r0, [ip]
    add r0, r0, #1
    str r0, [ip]
    pop {r0, lr}
    b __real___aeabi_ldiv0
    .ltorg
    .size __wrap___aeabi_ldiv0, . - __wrap___aeabi_ldiv0

#endif
