/*
 * test_main.c — runs every unit test case linked into this image
 * (include/ucvisor_test.h in the SDK). It prints one line per case and a
 * closing `N passed, N failed`; the exit code is the number of failed cases,
 * so `cargo test` fails when one does. Add test files beside this one and list
 * them in system.toml's `sources`.
 */
#include "ucvisor_test.h"

int main(void)
{
    return ut_run_all();
}
