/* test_pit.c: the PIT divisor arithmetic, and channel 0 programmed through the simulation. */
#include <stdint.h>

#include "ktest.h"
#include "pit.h"
#include "ports.h"

TEST(divisors_round_to_the_nearest_whole_number)
{
    EXPECT_EQ(1193, pit_divisor(1000)); /* 1193.182 */
    EXPECT_EQ(11932, pit_divisor(100)); /* 11931.82 */
    EXPECT_EQ(19886, pit_divisor(60));  /* 19886.37 */
    EXPECT_EQ(2, pit_divisor(596591));  /* exactly 2 */
    EXPECT_EQ(2, pit_divisor(477273));  /* 2.49999 rounds down */
    EXPECT_EQ(3, pit_divisor(477272));  /* 2.50000... rounds up */
}

TEST(divisors_stay_within_the_16_bit_counter)
{
    EXPECT_EQ(65536, pit_divisor(18)); /* 66288 would not fit: the slowest rate instead */
    EXPECT_EQ(65536, pit_divisor(0));
    EXPECT_EQ(1, pit_divisor(PIT_INPUT_HZ));
    EXPECT_EQ(1, pit_divisor(4000000)); /* faster than the input clock: as fast as it goes */
}

TEST(the_real_rate_of_1000_hz_is_1000_153_hz)
{
    EXPECT_EQ(1000153, pit_rate_millihertz(pit_divisor(1000)));
    EXPECT_EQ(18207, pit_rate_millihertz(65536)); /* the BIOS's 18.2 Hz */
}

TEST(start_programs_channel_0_as_a_rate_generator)
{
    ports_reset();
    EXPECT_EQ(1193, pit_start_periodic(1000));
    EXPECT_EQ(0x34, sim.pit.command); /* channel 0, low then high byte, mode 2, binary */
    EXPECT_EQ(1, sim.pit.reloads);
    EXPECT_EQ(1193, sim.pit.reload);
}

TEST(the_largest_divisor_is_written_as_zero)
{
    ports_reset();
    EXPECT_EQ(65536, pit_start_periodic(18));
    EXPECT_EQ(1, sim.pit.reloads);
    EXPECT_EQ(0, sim.pit.reload);
}

TEST(ticks_become_milliseconds_at_the_real_rate)
{
    uint32_t rate = pit_rate_millihertz(pit_divisor(1000)); /* 1000.153 Hz */
    EXPECT_EQ(999, pit_ticks_to_ms(1000, rate));            /* 999.85 ms, rounded down */
    EXPECT_EQ(86386782, pit_ticks_to_ms(86400000, rate));   /* a day of ticks: 13 s short */
    EXPECT_EQ(0, pit_ticks_to_ms(0, rate));
    EXPECT_EQ(54923, pit_ticks_to_ms(1000, 18207)); /* the BIOS's 18.2 Hz: 55 ms a tick */
}

TEST(milliseconds_become_enough_ticks)
{
    uint32_t rate = pit_rate_millihertz(pit_divisor(1000));
    EXPECT_EQ(1001, pit_ms_to_ticks(1000, rate)); /* 1000.153 ticks: never too few */
    EXPECT_EQ(2, pit_ms_to_ticks(1, rate));       /* 1.000153 ticks */
    EXPECT_EQ(0, pit_ms_to_ticks(0, rate));
    EXPECT_EQ(1, pit_ms_to_ticks(10, 18207)); /* less than one 55 ms tick is still one */
}
