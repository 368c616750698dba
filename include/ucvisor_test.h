/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor_test.h: a header-only unit-test harness for C code running on ucvisor.
 *
 * No libc: output goes through ut_write(), which defaults to pv_debug_write
 * (define UT_WRITE_HOOK(text, length) before including this header to send it
 * elsewhere). Works with -std=c99 and -std=c11, -ffreestanding.
 *
 *     #include "ucvisor_test.h"
 *
 *     UT_CASE(addition_works)
 *     {
 *         UT_CHECK(1 + 1 == 2);          // failure: reported, the case goes on
 *         UT_CHECK_EQ(2 + 2, 4);         // failure also prints both values in hex
 *         UT_ASSERT(pointer != NULL);    // failure ends the case
 *     }
 *
 *     int main(void) { return ut_run_all(); }   // number of failed cases
 *
 * Registration: UT_CASE places a descriptor (struct ut_case) in the linker
 * section `ut_cases`; ut_run_all() walks it from __start_ut_cases to
 * __stop_ut_cases, symbols that GNU ld and (rust-)lld define for any section
 * whose name is a C identifier. The descriptors are marked used and, with
 * ARM GCC, retained (SHF_GNU_RETAIN, see UT_SECTION), so --gc-sections keeps
 * them. A linker script with an explicit SECTIONS command must either leave
 * `ut_cases` an orphan section or place it as
 * `ut_cases : { KEEP(*(ut_cases)) }` (same output name). Cases run file by
 * file (in link order), each file's cases in source order.
 *
 * Static libraries: a linker takes an archive member only when it defines a
 * symbol something already needs, and UT_CASE defines none. So when the test
 * files are linked from an archive (as cc-rs builds them), each file declares
 * UT_FILE(name) once and main() calls UT_REQUIRE_FILE(name) for each, which
 * pulls the file in (linking with --whole-archive does the same). A program
 * in which no case is registered reports it and counts as failed.
 *
 * Inside a case, the checks use the hidden parameter `ut_ctx`; helper
 * functions that want to check something take a `struct ut_ctx *ut_ctx`
 * parameter (UT_CTX_PARAM) and are called with `ut_ctx`.
 *
 * Output, one line each:
 *     [ RUN ] name
 *     file:line: CHECK failed: expr
 *     [  OK ] name        or        [FAIL] name
 *     N passed, N failed
 */
#ifndef UCVISOR_TEST_H
#define UCVISOR_TEST_H

#include "paravirt.h"

/* --- output ----------------------------------------------------------------------- */

static inline void ut_write(const char *text, size_t length)
{
#ifdef UT_WRITE_HOOK
    UT_WRITE_HOOK(text, length);
#else
    while (length > 0) {
        uint32_t piece = length < PV_DEBUG_WRITE_MAX ? (uint32_t)length : PV_DEBUG_WRITE_MAX;
        (void)pv_debug_write((const char *)text, piece);
        text += piece;
        length -= piece;
    }
#endif
}

static inline void ut_putc(char c)
{
    ut_write(&c, 1);
}

/* A line under construction: output is written a whole line at a time. */
struct ut_line {
    char text[240];
    size_t length;
};

static inline void ut_line_char(struct ut_line *line, char c)
{
    if (line->length < sizeof(line->text)) {
        line->text[line->length++] = c;
    }
}

static inline void ut_line_str(struct ut_line *line, const char *s)
{
    while (*s != '\0') {
        ut_line_char(line, *s++);
    }
}

/* Unsigned decimal, without division (no __aeabi_uldivmod needed). */
static inline void ut_line_dec(struct ut_line *line, uint64_t value)
{
    static const uint64_t powers[] = {
        10000000000000000000ull, 1000000000000000000ull, 100000000000000000ull, 10000000000000000ull,
        1000000000000000ull,     100000000000000ull,     10000000000000ull,     1000000000000ull,
        100000000000ull,         10000000000ull,         1000000000ull,         100000000ull,
        10000000ull,             1000000ull,             100000ull,             10000ull,
        1000ull,                 100ull,                 10ull,                 1ull,
    };
    size_t i;
    int started = 0;
    for (i = 0; i < sizeof(powers) / sizeof(powers[0]); i++) {
        char digit = '0';
        while (value >= powers[i]) {
            value -= powers[i];
            digit++;
        }
        if (digit != '0' || started || powers[i] == 1) {
            ut_line_char(line, digit);
            started = 1;
        }
    }
}

/* 0x-prefixed hex: 8 digits, or 16 when the value does not fit in 32 bits. */
static inline void ut_line_hex(struct ut_line *line, uint64_t value)
{
    int digits = (value >> 32) != 0 ? 16 : 8;
    ut_line_str(line, "0x");
    while (digits-- > 0) {
        ut_line_char(line, "0123456789abcdef"[(value >> (digits * 4)) & 0xF]);
    }
}

static inline void ut_line_flush(struct ut_line *line)
{
    ut_line_char(line, '\n');
    if (line->length == sizeof(line->text)) {
        line->text[sizeof(line->text) - 1] = '\n';
    }
    ut_write(line->text, line->length);
    line->length = 0;
}

/* Prints `text` followed by a newline. */
static inline void ut_print_line(const char *text)
{
    struct ut_line line;
    line.length = 0;
    ut_line_str(&line, text);
    ut_line_flush(&line);
}

/* Prints "<label><value in hex>" on a line of its own (for diagnostics). */
static inline void ut_print_hex(const char *label, uint64_t value)
{
    struct ut_line line;
    line.length = 0;
    ut_line_str(&line, label);
    ut_line_hex(&line, value);
    ut_line_flush(&line);
}

/* --- cases and checks ---------------------------------------------------------------- */

struct ut_ctx {
    unsigned failures;
};

struct ut_case {
    const char *name;
    void (*run)(struct ut_ctx *ut_ctx);
    const char *file;
    unsigned line;
};

#define UT_CTX_PARAM struct ut_ctx *ut_ctx

/*
 * The descriptors must survive --gc-sections although nothing but the
 * __start_/__stop_ symbols refers to them (lld's default -z start-stop-gc does
 * not count those). GCC's `retain` attribute would mark the section
 * SHF_GNU_RETAIN, but arm-none-eabi-gcc 12 ignores it; the assembler does
 * support the "R" flag, so on ARM GCC the section directive carries it: GCC
 * appends its own flags after the name, and `@` (the ARM assembler's comment
 * character) hides them. Elsewhere, link with -z nostart-stop-gc or KEEP the
 * section. A section that was dropped anyway is a link error (undefined
 * __start_ut_cases), never a silent "0 passed".
 */
#if defined(__arm__) && defined(__GNUC__) && !defined(__clang__)
#define UT_SECTION "ut_cases,\"aR\",%progbits @"
#else
#define UT_SECTION "ut_cases"
#endif

#define UT_CASE(name)                                                                                  \
    static void ut_case_fn_##name(struct ut_ctx *ut_ctx __attribute__((unused)));                     \
    static const struct ut_case ut_case_##name                                                         \
        __attribute__((section(UT_SECTION), used, aligned(4))) = { #name, ut_case_fn_##name, __FILE__, __LINE__ }; \
    static void ut_case_fn_##name(struct ut_ctx *ut_ctx __attribute__((unused)))

/* `file` without its directories (build systems often pass absolute paths). */
static inline const char *ut_file_name(const char *file)
{
    const char *name = file;
    for (; *file != '\0'; file++) {
        if (*file == '/' || *file == '\\') {
            name = file + 1;
        }
    }
    return name;
}

static inline void ut_report_failure(struct ut_ctx *ctx, const char *file, int line_number, const char *expr)
{
    struct ut_line line;
    line.length = 0;
    ctx->failures++;
    ut_line_str(&line, ut_file_name(file));
    ut_line_char(&line, ':');
    ut_line_dec(&line, (uint64_t)line_number);
    ut_line_str(&line, ": CHECK failed: ");
    ut_line_str(&line, expr);
    ut_line_flush(&line);
}

static inline void ut_report_failure_eq(struct ut_ctx *ctx, const char *file, int line_number, const char *expr,
                                        uint64_t left, uint64_t right)
{
    struct ut_line line;
    line.length = 0;
    ctx->failures++;
    ut_line_str(&line, ut_file_name(file));
    ut_line_char(&line, ':');
    ut_line_dec(&line, (uint64_t)line_number);
    ut_line_str(&line, ": CHECK failed: ");
    ut_line_str(&line, expr);
    ut_line_str(&line, " (");
    ut_line_hex(&line, left);
    ut_line_str(&line, " vs ");
    ut_line_hex(&line, right);
    ut_line_char(&line, ')');
    ut_line_flush(&line);
}

/* Evaluates to 1 when the check passed, 0 when it failed (and reported). */
static inline int ut_check(struct ut_ctx *ctx, int ok, const char *file, int line, const char *expr)
{
    if (!ok) {
        ut_report_failure(ctx, file, line, expr);
    }
    return ok;
}

static inline int ut_check_eq(struct ut_ctx *ctx, uint64_t left, uint64_t right, int want_equal, const char *file,
                              int line, const char *expr)
{
    int ok = want_equal ? left == right : left != right;
    if (!ok) {
        ut_report_failure_eq(ctx, file, line, expr, left, right);
    }
    return ok;
}

/* Integer operands, compared after conversion to uint64_t (cast pointers to uintptr_t). */
#define UT_CHECK(expr) ((void)ut_check(ut_ctx, (expr) ? 1 : 0, __FILE__, __LINE__, #expr))
#define UT_CHECK_EQ(a, b) ((void)ut_check_eq(ut_ctx, (uint64_t)(a), (uint64_t)(b), 1, __FILE__, __LINE__, #a " == " #b))
#define UT_CHECK_NE(a, b) ((void)ut_check_eq(ut_ctx, (uint64_t)(a), (uint64_t)(b), 0, __FILE__, __LINE__, #a " != " #b))
#define UT_ASSERT(expr)                                                         \
    do {                                                                        \
        if (!ut_check(ut_ctx, (expr) ? 1 : 0, __FILE__, __LINE__, #expr)) {     \
            return;                                                             \
        }                                                                       \
    } while (0)
#define UT_ASSERT_EQ(a, b)                                                                                    \
    do {                                                                                                      \
        if (!ut_check_eq(ut_ctx, (uint64_t)(a), (uint64_t)(b), 1, __FILE__, __LINE__, #a " == " #b)) {        \
            return;                                                                                           \
        }                                                                                                     \
    } while (0)

/* Anchor of a test file (UT_FILE) and a reference to it from main (UT_REQUIRE_FILE). */
#define UT_FILE(name) const char ut_file_##name = 1
#define UT_REQUIRE_FILE(name)                              \
    do {                                                   \
        extern const char ut_file_##name;                  \
        __asm__ volatile("" : : "r"(&ut_file_##name));     \
    } while (0)

/* --- runner ---------------------------------------------------------------------------------- */

extern const struct ut_case __start_ut_cases[];
extern const struct ut_case __stop_ut_cases[];

static inline int ut_same_file(const char *a, const char *b)
{
    if (a == b) {
        return 1;
    }
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static inline void ut_print_status(const char *status, const char *name)
{
    struct ut_line line;
    line.length = 0;
    ut_line_str(&line, status);
    ut_line_str(&line, name);
    ut_line_flush(&line);
}

/* Runs every registered case; returns the number of failed cases (1 when no
 * case is registered at all, which also prints "0 passed, 1 failed"). */
static inline int ut_run_all(void)
{
    const struct ut_case *test = __start_ut_cases;
    const struct ut_case *end = __stop_ut_cases;
    unsigned passed = 0;
    unsigned failed = 0;
    struct ut_line line;

    /* The bounds are separate symbols: keep the compiler from reasoning about them. */
    __asm__("" : "+r"(test));
    __asm__("" : "+r"(end));
    /* The section holds each file's cases together, but the compiler may emit
     * them in any order: run every file's group by line number. */
    while (test < end) {
        const struct ut_case *group_end = test + 1;
        unsigned last_line = 0;
        while (group_end < end && ut_same_file(group_end->file, test->file)) {
            group_end++;
        }
        for (;;) {
            const struct ut_case *next = NULL;
            const struct ut_case *candidate;
            struct ut_ctx ctx;
            for (candidate = test; candidate < group_end; candidate++) {
                if (candidate->line > last_line && (next == NULL || candidate->line < next->line)) {
                    next = candidate;
                }
            }
            if (next == NULL) {
                break;
            }
            last_line = next->line;
            ctx.failures = 0;
            ut_print_status("[ RUN ] ", next->name);
            next->run(&ctx);
            if (ctx.failures == 0) {
                passed++;
                ut_print_status("[  OK ] ", next->name);
            } else {
                failed++;
                ut_print_status("[FAIL] ", next->name);
            }
        }
        test = group_end;
    }
    if (passed + failed == 0) {
        ut_print_line("no test cases are registered: link every test file (UT_REQUIRE_FILE or --whole-archive)");
        failed = 1;
    }
    line.length = 0;
    ut_line_dec(&line, passed);
    ut_line_str(&line, " passed, ");
    ut_line_dec(&line, failed);
    ut_line_str(&line, " failed");
    ut_line_flush(&line);
    return (int)failed;
}

#endif /* UCVISOR_TEST_H */
