/*
 * test_key_queue.c: the IRQ-to-main-loop ring at empty, at full, across
 * the wrap of its 32-bit counters, and under a random mix of puts and gets
 * checked against the order the events went in. No C library:
 * tests/keyboard_logic.c runs the same tests inside the kernel.
 */
#include <stdint.h>

#include "key_queue.h"
#include "ktest.h"

static struct key_queue queue;

/* Event number n: its fields are derived from n, so order and content can be checked. */
static struct key_event numbered(uint32_t n)
{
    return (struct key_event){.key = (uint16_t)n,
                              .ch = (char)('a' + n % 26),
                              .pressed = n % 3 != 0,
                              .modifiers = (uint8_t)(n % 16)};
}

static bool is_numbered(const struct key_event *event, uint32_t n)
{
    struct key_event expected = numbered(n);
    return event->key == expected.key && event->ch == expected.ch &&
           event->pressed == expected.pressed && event->modifiers == expected.modifiers;
}

static bool put_numbered(uint32_t n)
{
    struct key_event event = numbered(n);
    return key_queue_put(&queue, &event);
}

TEST(an_empty_queue_gives_nothing)
{
    struct key_event event = numbered(7);
    key_queue_init(&queue);
    EXPECT_FALSE(key_queue_get(&queue, &event));
    EXPECT_TRUE(is_numbered(&event, 7)); /* untouched */
}

TEST(events_come_out_in_the_order_they_went_in)
{
    struct key_event event;
    key_queue_init(&queue);
    for (uint32_t n = 0; n < 5; n++)
        EXPECT_TRUE(put_numbered(n));
    for (uint32_t n = 0; n < 5; n++) {
        EXPECT_TRUE(key_queue_get(&queue, &event));
        EXPECT_TRUE(is_numbered(&event, n));
    }
    EXPECT_FALSE(key_queue_get(&queue, &event));
    EXPECT_EQ(0, queue.dropped);
}

TEST(a_full_queue_drops_new_events_and_keeps_the_queued_ones)
{
    struct key_event event;
    key_queue_init(&queue);
    for (uint32_t n = 0; n < KEY_QUEUE_SIZE; n++)
        EXPECT_TRUE(put_numbered(n));
    EXPECT_FALSE(put_numbered(1000));
    EXPECT_FALSE(put_numbered(1001));
    EXPECT_EQ(2, queue.dropped);
    for (uint32_t n = 0; n < KEY_QUEUE_SIZE; n++) {
        EXPECT_TRUE(key_queue_get(&queue, &event));
        EXPECT_TRUE(is_numbered(&event, n));
    }
    EXPECT_FALSE(key_queue_get(&queue, &event));
}

TEST(one_get_from_a_full_queue_makes_room_for_one)
{
    struct key_event event;
    key_queue_init(&queue);
    for (uint32_t n = 0; n < KEY_QUEUE_SIZE; n++)
        put_numbered(n);
    EXPECT_TRUE(key_queue_get(&queue, &event));
    EXPECT_TRUE(put_numbered(KEY_QUEUE_SIZE));
    EXPECT_FALSE(put_numbered(KEY_QUEUE_SIZE + 1));
    for (uint32_t n = 1; n <= KEY_QUEUE_SIZE; n++) {
        EXPECT_TRUE(key_queue_get(&queue, &event));
        EXPECT_TRUE(is_numbered(&event, n));
    }
}

TEST(the_counters_wrap_around_without_losing_an_event)
{
    struct key_event event;
    key_queue_init(&queue);
    queue.head = queue.tail = UINT32_MAX - 5; /* as after four billion keys */
    for (uint32_t n = 0; n < KEY_QUEUE_SIZE; n++)
        EXPECT_TRUE(put_numbered(n));
    EXPECT_FALSE(put_numbered(99)); /* still full across the wrap */
    for (uint32_t n = 0; n < KEY_QUEUE_SIZE; n++) {
        EXPECT_TRUE(key_queue_get(&queue, &event));
        EXPECT_TRUE(is_numbered(&event, n));
    }
    EXPECT_FALSE(key_queue_get(&queue, &event));
}

static uint32_t next_number(uint32_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

TEST(a_random_mix_of_puts_and_gets_keeps_order_and_counts_drops)
{
    struct key_event event;
    uint32_t seed = 2024, put = 0, taken = 0, dropped = 0;
    bool in_order = true;
    key_queue_init(&queue);
    for (int round = 0; round < 5000; round++) {
        for (uint32_t burst = next_number(&seed) % 40; burst > 0; burst--) {
            if (put_numbered(put))
                put++;
            else
                dropped++;
        }
        for (uint32_t burst = next_number(&seed) % 40; burst > 0; burst--) {
            if (!key_queue_get(&queue, &event))
                break;
            in_order &= is_numbered(&event, taken++);
        }
    }
    EXPECT_TRUE(in_order);
    EXPECT_EQ(dropped, queue.dropped);
    EXPECT_TRUE(dropped > 0); /* the mix did fill the queue */
    EXPECT_EQ(put - taken, queue.head - queue.tail);
}
