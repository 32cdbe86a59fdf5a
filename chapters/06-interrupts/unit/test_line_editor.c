/*
 * test_line_editor.c: the prompt's editing rules, on typed strings. No C
 * library: tests/keyboard_logic.c runs the same tests inside the kernel.
 */
#include <stddef.h>

#include "ktest.h"
#include "line_editor.h"

static struct line_editor line;
static char echoed[256];
static size_t echoed_length;

static void echo(const char *text)
{
    while (*text != '\0' && echoed_length + 1 < sizeof(echoed))
        echoed[echoed_length++] = *text++;
    echoed[echoed_length] = '\0';
}

/* Type each character of keys; returns the status after the last one. */
static enum line_status type_keys(const char *keys)
{
    enum line_status status = LINE_EDITING;
    while (*keys != '\0')
        status = line_editor_type(&line, *keys++, echo);
    return status;
}

static void fresh_line(void)
{
    line_editor_clear(&line);
    echoed_length = 0;
    echoed[0] = '\0';
}

TEST(enter_finishes_the_line)
{
    fresh_line();
    EXPECT_EQ(LINE_EDITING, type_keys("help"));
    EXPECT_EQ(LINE_ENTERED, type_keys("\n"));
    EXPECT_STREQ("help", line.text);
    EXPECT_STREQ("help\n", echoed);
}

TEST(backspace_rubs_out_the_last_character)
{
    fresh_line();
    type_keys("hw\bel");
    EXPECT_STREQ("hel", line.text);
    EXPECT_STREQ("hw\b \bel", echoed);
}

TEST(backspace_at_the_start_of_the_line_does_nothing)
{
    fresh_line();
    type_keys("\b\bok\b\b\b\b");
    EXPECT_STREQ("", line.text);
    EXPECT_EQ(0, line.length);
    EXPECT_STREQ("ok\b \b\b \b", echoed);
}

TEST(a_full_line_takes_no_more)
{
    fresh_line();
    for (int i = 0; i < LINE_MAX + 10; i++)
        type_keys("x");
    EXPECT_EQ(LINE_MAX, line.length);
    EXPECT_EQ(LINE_MAX, (long long)echoed_length);
    type_keys("\by");
    EXPECT_EQ('y', line.text[LINE_MAX - 1]);
    EXPECT_EQ('\0', line.text[LINE_MAX]);
}

TEST(characters_that_print_nothing_are_ignored)
{
    fresh_line();
    type_keys("a\tb\x1b"
              "c\x7f\xe9");
    EXPECT_STREQ("abc", line.text);
    EXPECT_STREQ("abc", echoed);
}

TEST(ctrl_c_drops_the_line)
{
    fresh_line();
    EXPECT_EQ(LINE_CANCELLED, type_keys("oops\x03"));
    EXPECT_STREQ("", line.text);
    EXPECT_STREQ("oops^C\n", echoed);
    type_keys("ok");
    EXPECT_STREQ("ok", line.text);
}
