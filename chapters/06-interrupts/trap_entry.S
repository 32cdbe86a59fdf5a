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

    .cfi_sections .debug_frame /* for debuggers; see SAVE below */

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
 * Save or restore one register in the frame. The .cfi_ lines are call
 * frame information, for debuggers only (like boot.S's): they tell gdb
 * where the interrupted code's registers are, so that its backtrace from
 * inside exception_dispatch goes on into the code that was interrupted.
 */
.macro SAVE register, offset
    movq %\register, \offset(%rsp)
    .cfi_rel_offset \register, \offset
.endm

.macro RESTORE register, offset
    movq \offset(%rsp), %\register
    .cfi_restore \register
.endm

/*
 * On entry RSP points at the vector number, with the error code, RIP, CS,
 * RFLAGS, RSP and SS above it.
 */
    .type trap_entry, @function
trap_entry:
    .cfi_startproc simple
    .cfi_signal_frame /* not called: entered between two instructions */
    .cfi_def_cfa %rsp, FRAME_SIZE - FRAME_VECTOR
    .cfi_offset %rip, FRAME_RIP - FRAME_SIZE
    .cfi_offset %rsp, FRAME_RSP - FRAME_SIZE
    subq $FRAME_VECTOR, %rsp /* room for the registers, below the vector */
    .cfi_adjust_cfa_offset FRAME_VECTOR
    SAVE r15, FRAME_R15
    SAVE r14, FRAME_R14
    SAVE r13, FRAME_R13
    SAVE r12, FRAME_R12
    SAVE r11, FRAME_R11
    SAVE r10, FRAME_R10
    SAVE r9, FRAME_R9
    SAVE r8, FRAME_R8
    SAVE rbp, FRAME_RBP
    SAVE rdi, FRAME_RDI
    SAVE rsi, FRAME_RSI
    SAVE rdx, FRAME_RDX
    SAVE rcx, FRAME_RCX
    SAVE rbx, FRAME_RBX
    SAVE rax, FRAME_RAX

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

    RESTORE r15, FRAME_R15
    RESTORE r14, FRAME_R14
    RESTORE r13, FRAME_R13
    RESTORE r12, FRAME_R12
    RESTORE r11, FRAME_R11
    RESTORE r10, FRAME_R10
    RESTORE r9, FRAME_R9
    RESTORE r8, FRAME_R8
    RESTORE rbp, FRAME_RBP
    RESTORE rdi, FRAME_RDI
    RESTORE rsi, FRAME_RSI
    RESTORE rdx, FRAME_RDX
    RESTORE rcx, FRAME_RCX
    RESTORE rbx, FRAME_RBX
    RESTORE rax, FRAME_RAX
    addq $FRAME_RIP, %rsp /* drop the registers, the vector and the error code */
    .cfi_adjust_cfa_offset -FRAME_RIP
    /*
     * The 64-bit form: pops RIP, CS, RFLAGS, RSP and SS, 8 bytes each.
     * Plain iret would pop 4-byte values and return to garbage.
     */
    iretq
    .cfi_endproc
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
