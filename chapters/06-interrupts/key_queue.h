/*
 * key_queue.h: the ring buffer between the keyboard's IRQ handler (the only
 * producer) and the main loop (the only consumer).
 *
 * The producer never waits: when the queue is full the new event is dropped
 * and counted, and the events already queued stay as they were. Neither side
 * takes a lock, so the IRQ handler cannot deadlock against the main loop:
 * each index has one writer, and the release store that publishes it comes
 * after the slot it covers is written (or read).
 */
#ifndef KEY_QUEUE_H
#define KEY_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "keyboard.h"

#define KEY_QUEUE_SIZE 64 /* a power of two: the free-running indices wrap cleanly */

struct key_queue {
    struct key_event slots[KEY_QUEUE_SIZE];
    uint32_t head;    /* events ever put: written by the producer only */
    uint32_t tail;    /* events ever taken: written by the consumer only */
    uint32_t dropped; /* events the producer found no room for */
};

void key_queue_init(struct key_queue *queue);

/* Producer side: false (and counted in dropped) when the queue is full. */
bool key_queue_put(struct key_queue *queue, const struct key_event *event);

/* Consumer side: false when the queue is empty. */
bool key_queue_get(struct key_queue *queue, struct key_event *event);

/* Consumer side: true when a get would find nothing. */
bool key_queue_empty(const struct key_queue *queue);

#endif
