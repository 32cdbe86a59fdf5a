/*
 * pit.c: the 8254's channel 0 as a periodic interrupt (Intel 82C54 data
 * sheet; OSDev wiki "Programmable Interval Timer").
 *
 * The rate is the input clock divided by a whole number, so most rates are
 * only approximated: 1000 Hz needs 1193.182 and gets 1193, which runs at
 * 1000.153 Hz, 153 parts per million fast (a clock counting these ticks as
 * milliseconds gains 13 seconds a day).
 */
#include "pit.h"
#include "x86.h"

#define PIT_CHANNEL0 0x40 /* channel 0's counter: IRQ 0 */
#define PIT_COMMAND  0x43 /* the mode/command register */

/*
 * The command byte: bits 7-6 channel (0), bits 5-4 access mode (3: the
 * divisor's low byte, then its high byte), bits 3-1 operating mode (2: rate
 * generator, one pulse every divisor input cycles), bit 0 binary counting.
 */
#define PIT_SELECT_CHANNEL0 (0 << 6)
#define PIT_ACCESS_LOW_HIGH (3 << 4)
#define PIT_MODE_RATE       (2 << 1)

#define PIT_MAX_DIVISOR 65536 /* written as 0: the counter wraps from 0 to 0xffff */

uint32_t pit_divisor(uint32_t hz)
{
    if (hz == 0)
        return PIT_MAX_DIVISOR;
    uint32_t divisor = (PIT_INPUT_HZ + hz / 2) / hz;
    if (divisor < 1)
        return 1;
    if (divisor > PIT_MAX_DIVISOR)
        return PIT_MAX_DIVISOR;
    return divisor;
}

uint32_t pit_rate_millihertz(uint32_t divisor)
{
    return (uint32_t)(((uint64_t)PIT_INPUT_HZ * 1000 + divisor / 2) / divisor);
}

uint64_t pit_ticks_to_ms(uint64_t ticks, uint32_t rate_millihertz)
{
    return ticks * 1000000 / rate_millihertz;
}

uint64_t pit_ms_to_ticks(uint64_t ms, uint32_t rate_millihertz)
{
    return (ms * rate_millihertz + 999999) / 1000000;
}

uint32_t pit_start_periodic(uint32_t hz)
{
    uint32_t divisor = pit_divisor(hz);
    outb(PIT_COMMAND, PIT_SELECT_CHANNEL0 | PIT_ACCESS_LOW_HIGH | PIT_MODE_RATE);
    outb(PIT_CHANNEL0, (uint8_t)(divisor & 0xff)); /* 65536 is written as 0, 0 */
    outb(PIT_CHANNEL0, (uint8_t)((divisor >> 8) & 0xff));
    return divisor;
}
