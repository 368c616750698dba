@ SPDX-License-Identifier: MIT OR Apache-2.0
@ dot3.s — float dot3(const float *a, const float *b): a 3-element dot
@ product with VFP instructions. Plain assembly (`*.s`, not preprocessed);
@ hard-float ABI: the pointers arrive in r0 and r1, the result leaves in s0.

    .syntax unified
    .arm
    .fpu vfpv3-d16

    .section .text.dot3, "ax", %progbits
    .global dot3
    .type dot3, %function
dot3:
    vldmia r0, {s0-s2}
    vldmia r1, {s4-s6}
    vmul.f32 s0, s0, s4
    vmla.f32 s0, s1, s5
    vmla.f32 s0, s2, s6
    bx lr
    .size dot3, . - dot3
