/*
 * key_queue.c: a lock-free single-producer/single-consumer ring.
 *
 * head and tail count events forever and wrap at 2^32; since the size
 * divides 2^32, head - tail is the number of queued events even across the
 * wrap, and index % size the slot. The acquire load of the other side's
 * index and the release store of one's own keep the compiler (and, on a
 * multiprocessor, the CPU) from moving slot accesses across them.
 */
#include "key_queue.h"

_Static_assert((KEY_QUEUE_SIZE & (KEY_QUEUE_SIZE - 1)) == 0, "KEY_QUEUE_SIZE: a power of two");

void key_queue_init(struct key_queue *queue)
{
    queue->head = 0;
    queue->tail = 0;
    queue->dropped = 0;
}

bool key_queue_put(struct key_queue *queue, const struct key_event *event)
{
    uint32_t head = queue->head;
    uint32_t tail = __atomic_load_n(&queue->tail, __ATOMIC_ACQUIRE);
    if (head - tail == KEY_QUEUE_SIZE) {
        queue->dropped++;
        return false;
    }
    queue->slots[head % KEY_QUEUE_SIZE] = *event;
    __atomic_store_n(&queue->head, head + 1, __ATOMIC_RELEASE);
    return true;
}

bool key_queue_empty(const struct key_queue *queue)
{
    return __atomic_load_n(&queue->head, __ATOMIC_ACQUIRE) == queue->tail;
}

bool key_queue_get(struct key_queue *queue, struct key_event *event)
{
    uint32_t tail = queue->tail;
    uint32_t head = __atomic_load_n(&queue->head, __ATOMIC_ACQUIRE);
    if (head == tail)
        return false;
    *event = queue->slots[tail % KEY_QUEUE_SIZE];
    __atomic_store_n(&queue->tail, tail + 1, __ATOMIC_RELEASE);
    return true;
}
