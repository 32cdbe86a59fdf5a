/*
 * trap_entry.S: where the CPU lands on an exception, and the way back.
 *
 * The IDT points each of the 32 exception vectors, and the 16 vectors the
 * PICs deliver IRQs on (32-47), at a stub of its own: the CPU does not say
 * which vector it is delivering, so the stub pushes the number. Every stub
 * then jumps to trap_entry, which saves the registers as a struct
 * trap_frame (trap_frame.h), calls exception_dispatch(frame) in
 * exception.c (which hands IRQs on to irq.c), restores the registers and
 * returns to the interrupted code with iretq. An IRQ can arrive between
 * any two instructions, so everything the interrupted code had in its
 * registers must come back exactly as it was.
 */
#include "trap_frame.h"

/*
 * One stub. For a vector whose exception comes without an error code the
 * stub pushes a zero in its place, so every frame has the same layout.
 */
.macro TRAP_STUB vector
    .type trap_stub_\vector, @function
trap_stub_\vector:
.if ((VECTORS_WITH_ERROR_CODE >> \vector) & 1) == 0
    pushq $0
.endif
    pushq $\vector
    jmp trap_entry
    .size trap_stub_\vector, . - trap_stub_\vector
.endm

    .section .text
.irp vector, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    TRAP_STUB \vector
.endr

/*
 * On entry RSP points at the vector number, with the error code, RIP, CS,
 * RFLAGS, RSP and SS above it.
 */
    .type trap_entry, @function
trap_entry:
    subq $FRAME_VECTOR, %rsp /* room for the registers, below the vector */
    movq %r15, FRAME_R15(%rsp)
    movq %r14, FRAME_R14(%rsp)
    movq %r13, FRAME_R13(%rsp)
    movq %r12, FRAME_R12(%rsp)
    movq %r11, FRAME_R11(%rsp)
    movq %r10, FRAME_R10(%rsp)
    movq %r9, FRAME_R9(%rsp)
    movq %r8, FRAME_R8(%rsp)
    movq %rbp, FRAME_RBP(%rsp)
    movq %rdi, FRAME_RDI(%rsp)
    movq %rsi, FRAME_RSI(%rsp)
    movq %rdx, FRAME_RDX(%rsp)
    movq %rcx, FRAME_RCX(%rsp)
    movq %rbx, FRAME_RBX(%rsp)
    movq %rax, FRAME_RAX(%rsp)

    /*
     * The System V ABI promises every C function DF = 0 on entry, but the
     * interrupted code may have set it (std before a backwards rep movs).
     * iretq restores the interrupted RFLAGS, DF included.
     */
    cld
    /*
     * RSP is 16-byte aligned here: the CPU aligned it before pushing the
     * frame, and the frame is a multiple of 16 bytes (trap_frame.h).
     * RBP still holds the interrupted code's frame pointer, so a
     * backtrace from C walks on into the code that was interrupted.
     */
    movq %rsp, %rdi
    call exception_dispatch

    movq FRAME_R15(%rsp), %r15
    movq FRAME_R14(%rsp), %r14
    movq FRAME_R13(%rsp), %r13
    movq FRAME_R12(%rsp), %r12
    movq FRAME_R11(%rsp), %r11
    movq FRAME_R10(%rsp), %r10
    movq FRAME_R9(%rsp), %r9
    movq FRAME_R8(%rsp), %r8
    movq FRAME_RBP(%rsp), %rbp
    movq FRAME_RDI(%rsp), %rdi
    movq FRAME_RSI(%rsp), %rsi
    movq FRAME_RDX(%rsp), %rdx
    movq FRAME_RCX(%rsp), %rcx
    movq FRAME_RBX(%rsp), %rbx
    movq FRAME_RAX(%rsp), %rax
    addq $FRAME_RIP, %rsp /* drop the registers, the vector and the error code */
    /*
     * The 64-bit form: pops RIP, CS, RFLAGS, RSP and SS, 8 bytes each.
     * Plain iret would pop 4-byte values and return to garbage.
     */
    iretq
    .size trap_entry, . - trap_entry

/* The stubs' addresses, in vector order, for idt_init. */
    .section .rodata
    .balign 8
    .global trap_stubs
    .type trap_stubs, @object
trap_stubs:
.irp vector, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .quad trap_stub_\vector
.endr
    .size trap_stubs, . - trap_stubs
