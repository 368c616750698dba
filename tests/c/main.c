/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * main.c: entry of the C-side unit-test program (the root task of its test
 * image). The runtime calls main() and then pv_shutdown(result), so the image's
 * exit code is the number of failed cases.
 *
 * Every test file must be listed here (UT_REQUIRE_FILE): the files are linked
 * from a static library, and an unreferenced member would be left out with
 * all its cases (tests/c_headers.rs checks that the list is complete).
 */
#include "helpers.h"

int main(void)
{
    UT_REQUIRE_FILE(test_abi);
    UT_REQUIRE_FILE(test_syscall);
    UT_REQUIRE_FILE(test_ipc);
    UT_REQUIRE_FILE(test_l4);
    UT_REQUIRE_FILE(test_thread);
    UT_REQUIRE_FILE(test_space);
    UT_REQUIRE_FILE(test_irq);
    ut_print_line("ucvisor C-side unit tests");
    return ut_run_all();
}
