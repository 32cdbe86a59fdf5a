/*
 * boot.S: from GRUB's 32-bit hand-over to kmain in 64-bit long mode.
 *
 * GRUB leaves us in 32-bit protected mode with paging off, interrupts off,
 * EAX = multiboot2 magic and EBX = physical address of the multiboot2
 * information structure (Multiboot2 specification, section 3.3).
 * Long mode can only be entered from there with paging on and PAE page
 * tables in place (Intel SDM Vol. 3A, 10.8.5 "Initializing IA-32e Mode").
 */

#define MB2_HEADER_MAGIC     0xe85250d6 /* identifies the header to GRUB */
#define MB2_ARCH_I386        0          /* "32-bit protected mode" entry */
#define MB2_BOOTLOADER_MAGIC 0x36d76289 /* what GRUB puts in EAX */

#define CR0_PG    (1 << 31) /* paging */
#define CR4_PAE   (1 << 5)  /* physical address extension: 64-bit entries */
#define MSR_EFER  0xc0000080
#define EFER_LME  (1 << 8)  /* long mode enable */
#define EFLAGS_ID (1 << 21) /* writable only if CPUID exists */
#define CPUID_EXT_LM (1 << 29) /* CPUID 0x80000001 EDX: long mode */

/*
 * Test builds only: GRUB always passes the magic and QEMU's CPUs always
 * have CPUID, so those two checks below never fail in a normal boot.
 * common/kernel.mk builds build/boot-checks/NAME.iso with one of these flags
 * to make a check fail on purpose, and the harness pins its message. The
 * kernel that `make run` boots defines neither.
 */
#ifdef BOOT_CHECK_FAIL_MULTIBOOT
#undef MB2_BOOTLOADER_MAGIC
#define MB2_BOOTLOADER_MAGIC 0 /* GRUB's EAX no longer matches */
#endif
#ifdef BOOT_CHECK_FAIL_CPUID
#undef EFLAGS_ID
#define EFLAGS_ID 0 /* flip no bit: EFLAGS.ID looks stuck, as on a CPU without CPUID */
#endif

#define PTE_PRESENT  (1 << 0)
#define PTE_WRITABLE (1 << 1)
#define PTE_HUGE     (1 << 7) /* in a page directory entry: a 2 MiB page */

#define KERNEL_CS 0x08 /* selectors into gdt64 below */
#define KERNEL_DS 0x10

#define VGA_TEXT      0xb8000
#define VGA_CELLS     (80 * 25)
#define ERROR_COLOUR  0x4f /* white on red */
#define BLANK_CELL    0x0720 /* light grey space */

/*
 * The multiboot2 header. GRUB searches the first 32 KiB of the file for it
 * on an 8-byte boundary; the linker script puts this section first.
 */
    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    /* The four fields must sum to zero (mod 2^32). */
    .long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* End tag: type 0, flags 0, size 8. */
    .balign 8
    .short 0
    .short 0
    .long 8
mb2_header_end:

/*
 * Page tables and the boot stack live in .bss, which GRUB zeroes for us
 * because the ELF program header's memory size covers it.
 */
    .section .bss
    .balign 4096
pml4:
    .skip 4096
pdpt:
    .skip 4096
page_directory:
    .skip 4096
    .balign 16
stack_bottom:
    .skip 16384
stack_top:

mb2_magic:
    .skip 4
mb2_info:
    .skip 4

/*
 * A minimal 64-bit GDT (SDM Vol. 3A, 3.4.5 "Segment Descriptors").
 * In 64-bit mode base and limit are ignored; what matters is
 * P (present), S (code/data), the type, DPL 0 and, for code, L = 1.
 * The type's accessed bit is set already: loading a selector whose
 * descriptor has it clear makes the CPU write it into the GDT (SDM Vol. 3A,
 * 3.4.5.1). The table lives in .data, writable, because later chapters add
 * a TSS descriptor, which the CPU marks busy with a write of its own.
 */
    .section .data
    .balign 8
gdt64:
    .quad 0                  /* the null descriptor */
    .quad 0x00af9b000000ffff /* 0x08: code, P, DPL 0, execute/read, accessed, L = 1 */
    .quad 0x00cf93000000ffff /* 0x10: data, P, DPL 0, read/write, accessed */
gdt64_end:

    .section .rodata
gdt64_pointer:
    .short gdt64_end - gdt64 - 1
    .quad gdt64

msg_no_multiboot:
    .asciz "boot error: not started by a multiboot2 boot loader"
msg_no_cpuid:
    .asciz "boot error: no CPUID instruction"
msg_no_long_mode:
    .asciz "boot error: no long mode (this CPU is 32-bit only)"

    .section .text
    .code32
    .global _start
_start:
    cli
    cld
    movl $stack_top, %esp

    /*
     * Keep GRUB's two values in memory: the upper halves of registers are
     * undefined after the switch to 64-bit mode (SDM Vol. 1, 3.4.1.1).
     */
    movl %eax, mb2_magic
    movl %ebx, mb2_info

    cmpl $MB2_BOOTLOADER_MAGIC, %eax
    jne no_multiboot
    call check_cpuid
    call check_long_mode
    call setup_page_tables
    call enable_long_mode

    lgdt gdt64_pointer
    /* A far jump loads CS from the new GDT; with L = 1 we are in 64-bit mode. */
    ljmp $KERNEL_CS, $long_mode_start

/*
 * CPUID exists if software can flip EFLAGS.ID (SDM Vol. 1, 19.1
 * "Using the CPUID Instruction").
 */
check_cpuid:
    pushfl
    popl %eax
    movl %eax, %ecx
    xorl $EFLAGS_ID, %eax
    pushl %eax
    popfl
    pushfl
    popl %eax
    pushl %ecx /* put the original EFLAGS back */
    popfl
    cmpl %eax, %ecx
    je no_cpuid
    ret

/* Long mode is CPUID leaf 0x80000001, EDX bit 29, if that leaf exists. */
check_long_mode:
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    testl $CPUID_EXT_LM, %edx
    jz no_long_mode
    ret

/*
 * Identity-map the first GiB with 512 2-MiB pages: PML4[0] -> PDPT,
 * PDPT[0] -> page directory, whose entries map physical memory directly
 * (SDM Vol. 3A, 5.5 "4-Level Paging"). The tables are zeroed by GRUB.
 */
setup_page_tables:
    movl $pdpt, %eax
    orl $(PTE_PRESENT | PTE_WRITABLE), %eax
    movl %eax, pml4

    movl $page_directory, %eax
    orl $(PTE_PRESENT | PTE_WRITABLE), %eax
    movl %eax, pdpt

    xorl %ecx, %ecx
1:
    movl %ecx, %eax
    shll $21, %eax /* entry i maps physical address i * 2 MiB */
    orl $(PTE_PRESENT | PTE_WRITABLE | PTE_HUGE), %eax
    movl %eax, page_directory(, %ecx, 8)
    incl %ecx
    cmpl $512, %ecx
    jne 1b
    ret

/*
 * In the order the SDM lists (Vol. 3A, 10.8.5): CR4.PAE, then CR3, then
 * EFER.LME, then CR0.PG, which activates long mode (EFER.LMA becomes 1).
 * We are still running 32-bit code until CS changes.
 */
enable_long_mode:
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4

    movl $pml4, %eax
    movl %eax, %cr3

    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr

    movl %cr0, %eax
    orl $CR0_PG, %eax
    movl %eax, %cr0
    ret

no_multiboot:
    movl $msg_no_multiboot, %esi
    jmp boot_error
no_cpuid:
    movl $msg_no_cpuid, %esi
    jmp boot_error
no_long_mode:
    movl $msg_no_long_mode, %esi
    /* fall through */

/*
 * Clear the VGA text screen, write the message at ESI in the top-left
 * corner, white on red, and stop. Each cell is a character byte followed
 * by an attribute byte.
 */
boot_error:
    movl $VGA_TEXT, %edi
    movl $VGA_CELLS, %ecx
    movw $BLANK_CELL, %ax
    rep stosw

    movl $VGA_TEXT, %edi
    movb $ERROR_COLOUR, %ah
1:
    lodsb
    testb %al, %al
    jz halt32
    stosw
    jmp 1b
halt32:
    cli
    hlt
    jmp halt32

    .code64
    /*
     * Call frame information in .debug_frame, for debuggers only: it marks
     * long_mode_start as the outermost frame, so gdb's backtrace stops here
     * instead of walking into whatever lies above the stack.
     */
    .cfi_sections .debug_frame
long_mode_start:
    .cfi_startproc
    .cfi_undefined rip
    /*
     * CS is ours now; DS, ES, SS, FS and GS still hold GRUB's selectors,
     * which mean nothing in our GDT. Reload every one of them.
     */
    movw $KERNEL_DS, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs

    /*
     * stack_top is 16-byte aligned; the call pushes 8 bytes, which is what
     * the System V ABI expects on entry to a C function.
     */
    movq $stack_top, %rsp
    xorl %ebp, %ebp /* ends the frame-pointer chain for debuggers */

    movl mb2_magic, %edi /* kmain(magic, info); movl zero-extends */
    movl mb2_info, %esi
    call kmain

    /* kmain should not return; if it does, stop here. */
halt64:
    cli
    hlt
    jmp halt64
    .cfi_endproc
