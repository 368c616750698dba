/*
 * test_average.c — unit tests of app/average.c. Plain C: no µC/OS-II task
 * is needed to test a module that does not call the kernel.
 */
#include "ucvisor_test.h"
#include "average.h"

UT_CASE(average_of_one_sample_is_the_sample)
{
    struct average a;
    average_init(&a);
    UT_CHECK_EQ(average_add(&a, 7), 7);
}

UT_CASE(average_before_the_window_is_full_uses_the_samples_so_far)
{
    struct average a;
    average_init(&a);
    (void)average_add(&a, 10);
    UT_CHECK_EQ(average_add(&a, 20), 15);
}

UT_CASE(average_forgets_samples_older_than_the_window)
{
    struct average a;
    int32_t last = 0;
    int32_t i;
    average_init(&a);
    (void)average_add(&a, 1000);
    for (i = 0; i < (int32_t)AVERAGE_WINDOW; i++) {
        last = average_add(&a, 8);
    }
    UT_CHECK_EQ(last, 8);
}

UT_CASE(average_rounds_toward_zero)
{
    struct average a;
    average_init(&a);
    (void)average_add(&a, -1);
    UT_CHECK_EQ(average_add(&a, -2), -1);
}
