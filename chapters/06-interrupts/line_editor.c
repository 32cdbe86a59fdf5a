/* line_editor.c: see line_editor.h. */
#include "line_editor.h"

#define CTRL_C 0x03

void line_editor_clear(struct line_editor *line)
{
    line->length = 0;
    line->text[0] = '\0';
}

static void add_char(struct line_editor *line, char ch, line_echo echo)
{
    char text[2] = {ch, '\0'};

    if (line->length == LINE_MAX)
        return;
    line->text[line->length++] = ch;
    line->text[line->length] = '\0';
    echo(text);
}

/* Backspace moves the cursor left; the space rubs the character out; the second one steps back. */
static void remove_char(struct line_editor *line, line_echo echo)
{
    if (line->length == 0)
        return;
    line->text[--line->length] = '\0';
    echo("\b \b");
}

enum line_status line_editor_type(struct line_editor *line, char ch, line_echo echo)
{
    if (ch == '\n') {
        echo("\n");
        return LINE_ENTERED;
    }
    if (ch == CTRL_C) {
        echo("^C\n");
        line_editor_clear(line);
        return LINE_CANCELLED;
    }
    if (ch == '\b')
        remove_char(line, echo);
    else if (ch >= ' ' && ch <= '~')
        add_char(line, ch, echo);
    return LINE_EDITING;
}
