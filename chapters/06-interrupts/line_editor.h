/*
 * line_editor.h: the prompt's line editing, as pure logic: characters in,
 * the text to echo and a finished line out. kmain feeds it what the
 * keyboard typed; the host unit tests feed it strings.
 */
#ifndef LINE_EDITOR_H
#define LINE_EDITOR_H

#include <stdbool.h>

#define LINE_MAX 64

struct line_editor {
    char text[LINE_MAX + 1]; /* always NUL-terminated */
    int length;
};

enum line_status {
    LINE_EDITING,   /* keep typing */
    LINE_ENTERED,   /* Enter: text holds the line */
    LINE_CANCELLED, /* Ctrl+C: the line is dropped */
};

/* Where echoed text goes: the console, or a test's buffer. */
typedef void (*line_echo)(const char *text);

void line_editor_clear(struct line_editor *line);

/*
 * One typed character: a printable one is added (if there is room), '\b'
 * removes the last one, '\n' finishes the line, Ctrl+C (0x03) drops it;
 * anything else is ignored. echo receives what the screen must show.
 * After LINE_ENTERED the caller reads text, then clears the line.
 */
enum line_status line_editor_type(struct line_editor *line, char ch, line_echo echo);

#endif
