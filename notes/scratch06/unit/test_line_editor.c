/* test_line_editor.c: the prompt's editing rules, on typed strings. No C library. */
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
static enum line_status type(const char *keys)
{
    enum line_status status = LINE_EDITING;
    while (*keys != '\0')
        status = line_editor_type(&line, *keys++, echo);
    return status;
}

static void start(void)
{
    line_editor_clear(&line);
    echoed_length = 0;
    echoed[0] = '\0';
}

TEST(enter_finishes_the_line)
{
    start();
    EXPECT_EQ(LINE_EDITING, type("help"));
    EXPECT_EQ(LINE_ENTERED, type("\n"));
    EXPECT_STREQ("help", line.text);
    EXPECT_STREQ("help\n", echoed);
}

TEST(backspace_rubs_out_the_last_character)
{
    start();
    type("hw\bel");
    EXPECT_STREQ("hel", line.text);
    EXPECT_STREQ("hw\b \bel", echoed);
}

TEST(backspace_at_the_start_of_the_line_does_nothing)
{
    start();
    type("\b\bok\b\b\b\b");
    EXPECT_STREQ("", line.text);
    EXPECT_EQ(0, line.length);
    EXPECT_STREQ("ok\b \b\b \b", echoed);
}

TEST(a_full_line_takes_no_more)
{
    start();
    for (int i = 0; i < LINE_MAX + 10; i++)
        type("x");
    EXPECT_EQ(LINE_MAX, line.length);
    EXPECT_EQ(LINE_MAX, (long long)echoed_length);
    type("\by");
    EXPECT_EQ('y', line.text[LINE_MAX - 1]);
    EXPECT_EQ('\0', line.text[LINE_MAX]);
}

TEST(characters_that_print_nothing_are_ignored)
{
    start();
    type("a\tb\x1b" "c\x7f\xe9");
    EXPECT_STREQ("abc", line.text);
    EXPECT_STREQ("abc", echoed);
}

TEST(ctrl_c_drops_the_line)
{
    start();
    EXPECT_EQ(LINE_CANCELLED, type("oops\x03"));
    EXPECT_STREQ("", line.text);
    EXPECT_STREQ("oops^C\n", echoed);
    type("ok");
    EXPECT_STREQ("ok", line.text);
}
