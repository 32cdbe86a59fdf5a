/*
 * trap_frame.h: what the stack holds when trap_entry.S calls the C
 * dispatcher, shared by the assembler (the FRAME_* offsets) and C (the
 * struct, checked against those offsets).
 *
 * From the top down: the CPU pushes SS, RSP, RFLAGS, CS and RIP, and for
 * some vectors an error code (Intel SDM Vol. 3A, 7.14.2 "64-Bit Mode
 * Stack Frame"); the vector's stub pushes a zero in place of a missing
 * error code, then the vector number; the shared entry code stores the
 * fifteen general-purpose registers below that. RSP then points at r15,
 * and that address is the struct trap_frame pointer C receives.
 */
#ifndef TRAP_FRAME_H
#define TRAP_FRAME_H

/*
 * The vectors for which the CPU itself pushes an error code: #DF (8),
 * #TS, #NP, #SS, #GP, #PF (10-14), #AC (17), #CP (21), #VC (29) and
 * #SX (30). Bit n set means vector n has one (SDM Vol. 3A, Table 7-1).
 */
#define VECTORS_WITH_ERROR_CODE 0x60227d00

#define FRAME_R15        0x00
#define FRAME_R14        0x08
#define FRAME_R13        0x10
#define FRAME_R12        0x18
#define FRAME_R11        0x20
#define FRAME_R10        0x28
#define FRAME_R9         0x30
#define FRAME_R8         0x38
#define FRAME_RBP        0x40
#define FRAME_RDI        0x48
#define FRAME_RSI        0x50
#define FRAME_RDX        0x58
#define FRAME_RCX        0x60
#define FRAME_RBX        0x68
#define FRAME_RAX        0x70
#define FRAME_VECTOR     0x78 /* pushed by the stub */
#define FRAME_ERROR_CODE 0x80 /* pushed by the CPU or, as 0, by the stub */
#define FRAME_RIP        0x88 /* from here on pushed by the CPU: what iretq pops */
#define FRAME_CS         0x90
#define FRAME_RFLAGS     0x98
#define FRAME_RSP        0xa0
#define FRAME_SS         0xa8
#define FRAME_SIZE       0xb0

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip;
    uint64_t cs;
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};

#define FRAME_CHECK(field, offset)                                                                 \
    _Static_assert(offsetof(struct trap_frame, field) == offset,                                   \
                   "struct trap_frame." #field " is not where trap_entry.S stores it")
FRAME_CHECK(r15, FRAME_R15);
FRAME_CHECK(r14, FRAME_R14);
FRAME_CHECK(r13, FRAME_R13);
FRAME_CHECK(r12, FRAME_R12);
FRAME_CHECK(r11, FRAME_R11);
FRAME_CHECK(r10, FRAME_R10);
FRAME_CHECK(r9, FRAME_R9);
FRAME_CHECK(r8, FRAME_R8);
FRAME_CHECK(rbp, FRAME_RBP);
FRAME_CHECK(rdi, FRAME_RDI);
FRAME_CHECK(rsi, FRAME_RSI);
FRAME_CHECK(rdx, FRAME_RDX);
FRAME_CHECK(rcx, FRAME_RCX);
FRAME_CHECK(rbx, FRAME_RBX);
FRAME_CHECK(rax, FRAME_RAX);
FRAME_CHECK(vector, FRAME_VECTOR);
FRAME_CHECK(error_code, FRAME_ERROR_CODE);
FRAME_CHECK(rip, FRAME_RIP);
FRAME_CHECK(cs, FRAME_CS);
FRAME_CHECK(rflags, FRAME_RFLAGS);
FRAME_CHECK(rsp, FRAME_RSP);
FRAME_CHECK(ss, FRAME_SS);
_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "struct trap_frame has a stray field");

/*
 * The CPU aligns RSP to 16 bytes before it pushes SS (SDM Vol. 3A,
 * 7.14.2), and the frame ends exactly there: a frame that is a multiple
 * of 16 bytes long leaves RSP 16-byte aligned at the call into C.
 */
_Static_assert(FRAME_SIZE % 16 == 0, "the call into C would be misaligned");

#endif /* __ASSEMBLER__ */
#endif
