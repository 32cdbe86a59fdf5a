/*
 * keyboard_logic: the host unit tests of the scancode decoder, the key
 * queue and the line editor, compiled again for the kernel and run inside
 * it: the same code under the kernel's compiler flags (freestanding, -O2,
 * no SSE, no red zone), on the machine it is meant for.
 */
#include "../unit/test_key_queue.c"
#include "../unit/test_keyboard.c"
#include "../unit/test_line_editor.c"
