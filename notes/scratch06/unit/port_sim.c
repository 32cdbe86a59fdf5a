/* port_sim.c: see port_sim.h. */
#include <string.h>

#include "port_sim.h"
#include "x86.h"

struct port_sim sim;

void sim_reset(void)
{
    memset(&sim, 0, sizeof(sim));
    /* Power-on state as firmware leaves it: all lines masked, like OVMF does. */
    sim.master.imr = 0xff;
    sim.slave.imr = 0xff;
}

static void pic_command(struct sim_8259 *pic, uint8_t value)
{
    if (value & 0x10) { /* ICW1: restart, mask cleared, reads return IRR */
        pic->icw4_expected = value & 0x01;
        pic->single = value & 0x02;
        pic->icws_expected = 1 + !pic->single + pic->icw4_expected;
        pic->imr = 0;
        pic->read_isr = false;
    } else if (value & 0x08) { /* OCW3: bit 1 "read register", bit 0 which one */
        if (value & 0x02)
            pic->read_isr = value & 0x01;
    } else if (value == 0x20) { /* OCW2: non-specific EOI clears the highest-priority ISR bit */
        pic->eois++;
        pic->isr &= (uint8_t)(pic->isr - 1);
    }
}

static void pic_data(struct sim_8259 *pic, uint8_t value)
{
    if (pic->icws_expected == 0) {
        pic->imr = value; /* OCW1 */
        return;
    }
    int total = 1 + !pic->single + pic->icw4_expected;
    int position = total - pic->icws_expected; /* 0: ICW2, then ICW3 if cascaded, then ICW4 */
    if (position == 0)
        pic->icw2 = value;
    else if (position == 1 && !pic->single)
        pic->icw3 = value;
    else
        pic->icw4 = value;
    if (--pic->icws_expected == 0)
        pic->initialisations++;
}

static void pit_write(uint16_t port, uint8_t value)
{
    if (port == 0x43) {
        if ((value >> 6) == 0) { /* channel 0 */
            sim.pit.command = value;
            sim.pit.bytes_to_come = ((value >> 4) & 3) == 3 ? 2 : 1;
        }
        return;
    }
    if (sim.pit.bytes_to_come == 2) {
        sim.pit.reload = value;
        sim.pit.bytes_to_come = 1;
    } else if (sim.pit.bytes_to_come == 1) {
        sim.pit.reload = (uint16_t)(sim.pit.reload | value << 8);
        sim.pit.bytes_to_come = 0;
        sim.pit.reloads++;
    }
}

static bool is_pic_port(uint16_t port)
{
    return port == 0x20 || port == 0x21 || port == 0xa0 || port == 0xa1;
}

/* ICW1 on the command port, or a data-port write while ICW2-ICW4 are due. */
static bool is_icw(const struct sim_8259 *pic, uint16_t port, uint8_t value)
{
    if (port == 0x20 || port == 0xa0)
        return value & 0x10;
    return pic->icws_expected > 0;
}

void outb(uint16_t port, uint8_t value)
{
    if (sim.log_length < SIM_LOG_SIZE)
        sim.log[sim.log_length++] = (struct sim_write){port, value};
    if (port == IO_WAIT_PORT)
        sim.pic_written_since_wait = false;
    struct sim_8259 *pic = port < 0x80 ? &sim.master : &sim.slave;
    if (is_pic_port(port)) {
        if (sim.pic_written_since_wait && is_icw(pic, port, value))
            sim.hurried_icws++;
        sim.pic_written_since_wait = true;
    }
    if (port == 0x20 || port == 0xa0)
        pic_command(pic, value);
    else if (port == 0x21 || port == 0xa1)
        pic_data(pic, value);
    else if (port == 0x40 || port == 0x43)
        pit_write(port, value);
}

void outl(uint16_t port, uint32_t value)
{
    outb(port, (uint8_t)value);
}

uint8_t inb(uint16_t port)
{
    struct sim_8259 *pic = port < 0x80 ? &sim.master : &sim.slave;
    switch (port) {
    case 0x20:
    case 0xa0:
        return pic->read_isr ? pic->isr : pic->irr;
    case 0x21:
    case 0xa1:
        return pic->imr;
    case 0x64: /* status: bit 0, the output buffer holds a byte for port 0x60 */
        return sim.keyboard_read < sim.keyboard_count ? 0x01 : 0x00;
    case 0x60:
        if (sim.keyboard_read < sim.keyboard_count)
            return sim.keyboard_bytes[sim.keyboard_read++];
        return sim.keyboard_count ? sim.keyboard_bytes[sim.keyboard_count - 1] : 0;
    default:
        return 0xff; /* nothing answers: the ISA bus floats high */
    }
}

int sim_writes_to(uint16_t port, uint8_t *values, int max)
{
    int count = 0;
    for (int i = 0; i < sim.log_length && count < max; i++)
        if (sim.log[i].port == port)
            values[count++] = sim.log[i].value;
    return count;
}

void sim_keyboard_type(const uint8_t *bytes, int count)
{
    for (int i = 0; i < count && sim.keyboard_count < (int)sizeof(sim.keyboard_bytes); i++)
        sim.keyboard_bytes[sim.keyboard_count++] = bytes[i];
}
