# common/kernel.mk: how every chapter is built, booted and debugged.
#
# A chapter's Makefile names its sources and includes this file:
#
#   KERNEL_SOURCES := boot.S kmain.c string.c
#   include ../../common/kernel.mk
#
# Targets: all (default), run, test, debug, unit, clean. V=1 prints full commands.

COMMON_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
ROOT_DIR := $(abspath $(COMMON_DIR)/..)
CHAPTER := $(notdir $(CURDIR))
BUILD ?= build

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:

ifeq ($(V),1)
  Q :=
  quiet = @:
else
  Q := @
  quiet = @printf '  %-7s %s\n' $(1) $(2)
endif

# ---------------------------------------------------------------------------
# Toolchain
#
# 1. x86_64-elf-gcc, the cross compiler the OS-dev community recommends:
#    it knows nothing about the host system. The one `make toolchain` built
#    in toolchain/bin comes first, then one on PATH.
# 2. Otherwise the host's gcc, which is fine on an x86_64 host once the
#    flags below switch off everything a hosted program would want.
# 3. make CC=clang: clang is a cross compiler already; --target picks x86_64.
# ---------------------------------------------------------------------------
HOST_ARCH := $(shell uname -m)
CROSS_CC := $(or $(wildcard $(ROOT_DIR)/toolchain/bin/x86_64-elf-gcc),$(shell command -v x86_64-elf-gcc 2>/dev/null))

ifeq ($(origin CC),default)
  CC := $(or $(CROSS_CC),gcc)
endif

CC_IS_CLANG := $(shell $(CC) --version 2>/dev/null | grep -q clang && echo yes)
CC_IS_CROSS := $(filter x86_64-elf-%,$(notdir $(CC)))

ifeq ($(CC_IS_CLANG)$(CC_IS_CROSS),)
  ifneq ($(HOST_ARCH),x86_64)
    $(error The host gcc builds for $(HOST_ARCH), not x86_64. Install an x86_64-elf cross \
      compiler (macOS: brew install x86_64-elf-gcc) or use make CC=clang)
  endif
endif

# The linker and nm follow the compiler: the cross binutils with the cross
# compiler, otherwise the host's GNU ld if it can write x86_64 ELF, else lld.
# (The cross binutils sit next to the cross compiler: toolchain/bin is not on PATH.)
CROSS_BIN := $(if $(findstring /,$(CC)),$(dir $(CC)))
ifneq ($(CC_IS_CROSS),)
  LD := $(CROSS_BIN)x86_64-elf-ld
  NM := $(CROSS_BIN)x86_64-elf-nm
  OBJDUMP := $(CROSS_BIN)x86_64-elf-objdump
else ifneq ($(shell ld -V 2>/dev/null | grep -w elf_x86_64),)
  LD := ld
  NM := nm
  OBJDUMP := objdump
else
  LD := ld.lld
  NM := llvm-nm
  OBJDUMP := llvm-objdump
endif

# The compiler's own freestanding headers (stdint.h, stddef.h, stdarg.h,
# stdbool.h) and nothing from /usr/include, which belongs to the host's libc.
ifeq ($(CC_IS_CLANG),yes)
  COMPILER_INCLUDE := $(shell $(CC) -print-resource-dir)/include
else
  COMPILER_INCLUDE := $(shell $(CC) -print-file-name=include)
endif

KERNEL_CFLAGS :=
ifeq ($(CC_IS_CLANG),yes)
  KERNEL_CFLAGS += --target=x86_64-unknown-elf # build for x86_64 whatever the host is
endif
KERNEL_CFLAGS += -std=gnu11 -O2 -g
KERNEL_CFLAGS += -Wall -Wextra -Werror
KERNEL_CFLAGS += -ffreestanding          # no C library, no assumptions about main() or libc functions
KERNEL_CFLAGS += -nostdinc -isystem $(COMPILER_INCLUDE) # the compiler's headers only
KERNEL_CFLAGS += -fno-pie -fno-pic       # fixed addresses: nothing relocates the kernel
KERNEL_CFLAGS += -mcmodel=small          # code and data below 2 GiB: 32-bit absolute addresses work
KERNEL_CFLAGS += -mno-red-zone           # interrupts push onto the same stack below RSP
KERNEL_CFLAGS += -mgeneral-regs-only     # no SSE/MMX/x87 code: their state is not saved on interrupts
KERNEL_CFLAGS += -fno-stack-protector    # canary checks need a C library (__stack_chk_fail)
KERNEL_CFLAGS += -fcf-protection=none    # no endbr64 (CET) instrumentation
KERNEL_CFLAGS += -fno-asynchronous-unwind-tables -fno-unwind-tables # no .eh_frame: no C++ unwinding
KERNEL_CFLAGS += -fno-omit-frame-pointer # RBP chains: readable backtraces in gdb
KERNEL_CFLAGS += -MMD -MP                # header dependencies for make
KERNEL_CFLAGS += -I.                     # tests/*.c include the chapter's headers
KERNEL_CFLAGS += $(EXTRA_CFLAGS)
KERNEL_CFLAGS := $(strip $(KERNEL_CFLAGS))

KERNEL_LDFLAGS := -nostdlib -static      # link exactly our objects, no crt0, no libc
KERNEL_LDFLAGS += -m elf_x86_64
KERNEL_LDFLAGS += -z max-page-size=0x1000 # 4 KiB alignment in the file: header stays in the first 32 KiB
KERNEL_LDFLAGS += -z noexecstack --build-id=none
KERNEL_LDFLAGS += -T linker.ld
KERNEL_LDFLAGS := $(strip $(KERNEL_LDFLAGS))

# GRUB's tools under Debian's, Fedora's or Homebrew's names, the first found.
first_command = $(or $(firstword $(foreach c,$(1),$(if $(shell command -v $(c) 2>/dev/null),$(c)))),$(firstword $(1)))
GRUB_MKRESCUE ?= $(call first_command,grub-mkrescue grub2-mkrescue x86_64-elf-grub-mkrescue)
GRUB_FILE ?= $(call first_command,grub-file grub2-file x86_64-elf-grub-file)

# Which compiler is in use, for `make help` and the first line of a build.
CC_PATH = $(shell command -v $(CC) 2>/dev/null)
COMPILER = $(if $(CC_PATH),$(CC_PATH): $(shell $(CC) --version 2>/dev/null | head -n 1),$(CC) (not installed))
# Expands to a recipe line that prints COMPILER the first time, to nothing after.
announce_compiler = $(if $(COMPILER_ANNOUNCED),,$(eval COMPILER_ANNOUNCED := yes)@echo '  using   $(COMPILER)')

# ---------------------------------------------------------------------------
# The kernel's own symbol table, for backtraces with function names (chapter
# 04 on: a chapter turns it on with KERNEL_SYMBOL_TABLE := yes).
#
# As Linux does for its kallsyms, every kernel is linked twice. The first
# link (build/NAME.pass1.elf) only needs kernel_symbol_table to exist, so
# --defsym gives it address 0; kallsyms.py lists that kernel's symbols as
# assembly (build/NAME.ksyms.S), and the second link adds the table, which
# linker.ld puts after everything else. No symbol moves: addresses in
# instructions are 4 bytes whatever their value, and kallsyms.py --check
# proves it on the final kernel.
# ---------------------------------------------------------------------------
ifeq ($(KERNEL_SYMBOL_TABLE),yes)
KALLSYMS := python3 $(COMMON_DIR)/kallsyms.py --nm $(NM)
SYMBOL_TABLE_INPUTS := $(COMMON_DIR)/kallsyms.py

# $(1): the kernel to link, $(2): its objects.
link_kernel = \
  $(LD) $(KERNEL_LDFLAGS) --defsym=kernel_symbol_table=0 -o $(1:.elf=.pass1.elf) $(2) && \
  $(KALLSYMS) $(1:.elf=.pass1.elf) > $(1:.elf=.ksyms.S) && \
  $(CC) $(KERNEL_CFLAGS) -c $(1:.elf=.ksyms.S) -o $(1:.elf=.ksyms.o) && \
  $(LD) $(KERNEL_LDFLAGS) -o $(1) $(2) $(1:.elf=.ksyms.o) && \
  $(KALLSYMS) --check $(1:.elf=.ksyms.S) $(1)
else
link_kernel = $(LD) $(KERNEL_LDFLAGS) -o $(1) $(2)
endif

# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------
objects = $(patsubst %,$(BUILD)/%.o,$(basename $(1)))

KERNEL_OBJS := $(call objects,$(KERNEL_SOURCES))
KERNEL_ELF := $(BUILD)/kernel.elf
KERNEL_ISO := $(BUILD)/kernel.iso

# Test kernels (chapter 03 on): each tests/NAME.c becomes build/tests/NAME.iso,
# the chapter's kernel with kmain.c replaced by TEST_SUPPORT and the tests.
TEST_KERNELS := $(basename $(wildcard tests/*.c))
TEST_SUPPORT_OBJS := $(call objects,$(TEST_SUPPORT))
TEST_BASE_OBJS := $(filter-out $(BUILD)/kmain.o,$(KERNEL_OBJS)) $(TEST_SUPPORT_OBJS)
TEST_ISOS := $(TEST_KERNELS:%=$(BUILD)/%.iso)

# boot.S's error paths (every chapter). GRUB always passes the multiboot2
# magic and QEMU's CPUs always have CPUID, so in a normal boot those two
# checks cannot fail. build/boot-checks/NAME.iso is the kernel with boot.S
# assembled with the flag below, which makes one check fail on purpose;
# boots.ini boots it and its screen transcript pins the error message.
# (The long-mode check fails for real on QEMU's -cpu qemu32.)
BOOT_CHECK_FLAGS_no-multiboot := -DBOOT_CHECK_FAIL_MULTIBOOT
BOOT_CHECK_FLAGS_no-cpuid := -DBOOT_CHECK_FAIL_CPUID
BOOT_CHECKS := no-multiboot no-cpuid
BOOT_CHECK_ISOS := $(BOOT_CHECKS:%=$(BUILD)/boot-checks/%.iso)

ALL_OBJS := $(KERNEL_OBJS) $(TEST_SUPPORT_OBJS) $(TEST_KERNELS:%=$(BUILD)/%.o) \
  $(BOOT_CHECKS:%=$(BUILD)/boot-checks/%/boot.o)

all: $(KERNEL_ISO) $(TEST_ISOS) $(BOOT_CHECK_ISOS)

# Every object depends on the flags too: make CC=clang after a gcc build
# rebuilds everything instead of linking a mix.
FLAGS_FILE := $(BUILD)/flags
FLAGS_NOW := $(CC) $(KERNEL_CFLAGS) $(LD) $(KERNEL_LDFLAGS)
$(FLAGS_FILE): FORCE deps
	@mkdir -p $(@D)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(FLAGS_NOW)' ]; then echo '$(FLAGS_NOW)' > $@; fi

$(BUILD)/%.o: %.c $(FLAGS_FILE)
	$(announce_compiler)
	@mkdir -p $(@D)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S $(FLAGS_FILE)
	$(announce_compiler)
	@mkdir -p $(@D)
	$(call quiet,AS,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/boot-checks/%/boot.o: boot.S $(FLAGS_FILE)
	@mkdir -p $(@D)
	$(call quiet,AS,$@)
	$(Q)$(CC) $(KERNEL_CFLAGS) $(BOOT_CHECK_FLAGS_$*) -c $< -o $@

# Link, then refuse a kernel that references anything we did not write
# (the compiler sometimes calls library functions on its own), that uses
# SSE, MMX or x87 registers (a flag went missing), or that GRUB would not
# recognise as multiboot2.
# The objects compiled from C: boot.S's 32-bit code would only confuse a
# 64-bit disassembly.
C_OBJECTS = $(filter-out %/boot.o,$(filter %.o,$^))
# In objdump's AT&T syntax: %xmm0-31, %ymm.., %zmm.. (SSE, AVX), %mm0-7
# (MMX) and %st, %st(1).. (the x87 register stack).
SIMD_X87_REGISTERS := %([xyz]?mm[0-9]|st([^a-z]|$$))

$(BUILD)/%.elf: linker.ld $(SYMBOL_TABLE_INPUTS)
	$(call quiet,LD,$@)
	$(Q)$(call link_kernel,$@,$(filter %.o,$^))
	$(Q)undefined="$$($(NM) -u $@)"; if [ -n "$$undefined" ]; then \
	  echo "error: $@ uses symbols nobody defines:" >&2; echo "$$undefined" >&2; rm -f $@; exit 1; fi
	$(Q)if $(OBJDUMP) -d $(C_OBJECTS) | grep -Eq '$(SIMD_X87_REGISTERS)'; then \
	  echo "error: $@ uses SSE, MMX or x87 registers, which interrupts do not save:" >&2; \
	  $(OBJDUMP) -d $(C_OBJECTS) | grep -E '$(SIMD_X87_REGISTERS)' | head -n 3 >&2; rm -f $@; exit 1; fi
	$(Q)if ! $(GRUB_FILE) --is-x86-multiboot2 $@; then \
	  echo "error: $(GRUB_FILE) finds no valid multiboot2 header in $@" >&2; rm -f $@; exit 1; fi
	$(Q)if $(OBJDUMP) -d $(C_OBJECTS) | grep -Eqw 'iret[lw]?'; then \
	  echo "error: $@ returns from an interrupt with iret, which pops 4-byte values: use iretq" >&2; \
	  rm -f $@; exit 1; fi

$(KERNEL_ELF): $(KERNEL_OBJS)

$(TEST_KERNELS:%=$(BUILD)/%.elf): $(BUILD)/tests/%.elf: $(BUILD)/tests/%.o $(TEST_BASE_OBJS)

$(BOOT_CHECK_ISOS:.iso=.elf): $(BUILD)/boot-checks/%.elf: $(BUILD)/boot-checks/%/boot.o \
  $(filter-out $(BUILD)/boot.o,$(KERNEL_OBJS))

# A bootable CD image: our kernel and grub.cfg, with GRUB for both kinds of
# firmware. grub-mkrescue includes every GRUB platform it finds installed:
# i386-pc (BIOS: El Torito boot image) and x86_64-efi (UEFI: the FAT image
# efi.img, which holds EFI/BOOT/BOOTX64.EFI). An image without efi.img
# would boot under BIOS only, so it is refused.
$(BUILD)/%.iso: $(BUILD)/%.elf $(COMMON_DIR)/grub.cfg
	$(call quiet,ISO,$@)
	$(Q)dir=$$(mktemp -d $@.XXXXXX) && mkdir -p $$dir/boot/grub && \
	  cp $< $$dir/boot/kernel.elf && cp $(COMMON_DIR)/grub.cfg $$dir/boot/grub/grub.cfg && \
	  if ! $(GRUB_MKRESCUE) -o $@ $$dir >$@.log 2>&1; then \
	    cat $@.log >&2; rm -rf $$dir; \
	    echo "error: $(GRUB_MKRESCUE) failed (are GRUB's BIOS (i386-pc) modules, xorriso and mtools installed? try: make deps)" >&2; exit 1; \
	  fi; rm -rf $$dir
	$(Q)if ! xorriso -indev $@ -find /efi.img 2>/dev/null | grep -q efi.img; then \
	  rm -f $@; echo "error: $@ has no UEFI boot path: GRUB's x86_64-efi modules are missing (try: make deps)" >&2; exit 1; fi

-include $(ALL_OBJS:.o=.d)

# ---------------------------------------------------------------------------
# Host unit tests (chapter 03 on): unit/*.c with the pure sources they test,
# built for this machine with AddressSanitizer and UndefinedBehaviorSanitizer:
# an out-of-bounds write or signed overflow stops the test with a report.
# A chapter's UNIT_CFLAGS are added (chapter 03: simulated port I/O).
# ---------------------------------------------------------------------------
HOSTCC ?= cc
UNIT_SOURCES := $(wildcard unit/*.c)
UNIT_RUNNER := $(BUILD)/unit/run-unit-tests
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -I. \
  -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
  $(UNIT_CFLAGS)

HOST_FLAGS_FILE := $(BUILD)/unit/flags
HOST_FLAGS_NOW := $(HOSTCC) $(HOST_CFLAGS)
$(HOST_FLAGS_FILE): FORCE
	@mkdir -p $(@D)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(HOST_FLAGS_NOW)' ]; then echo '$(HOST_FLAGS_NOW)' > $@; fi

$(UNIT_RUNNER): $(UNIT_SOURCES) $(UNIT_UNDER_TEST) $(wildcard *.h unit/*.h) $(HOST_FLAGS_FILE)
	@mkdir -p $(@D)
	$(call quiet,HOSTCC,$@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $(UNIT_SOURCES) $(UNIT_UNDER_TEST)

unit: $(if $(UNIT_SOURCES),$(UNIT_RUNNER),)
	$(if $(UNIT_SOURCES),$(Q)$(UNIT_RUNNER),@echo "$(CHAPTER) has no host unit tests (unit/*.c)")

# ---------------------------------------------------------------------------
# Running and debugging
# ---------------------------------------------------------------------------
QEMU ?= qemu-system-x86_64
GDB ?= $(call first_command,gdb x86_64-elf-gdb)
GDB_PORT ?= 1234

# The machine every chapter boots on, for readers and for test-runner.py
# alike (it reads this line with `make -s qemu-flags`).
#   -boot d            boot from the CD image
#   -nic none          no network card: nothing to configure, no network boot ROM
#   -no-reboot         a triple fault stops QEMU instead of rebooting in a loop
#   -no-shutdown       ...and keeps the last screen visible instead of exiting
#   isa-debug-exit     port 0xF4: lets a test kernel end QEMU with a status
QEMU_FLAGS := -m 128M -boot d -nic none -no-reboot -no-shutdown \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04

# FIRMWARE=uefi boots through OVMF, QEMU's UEFI firmware, instead of the
# default SeaBIOS (FIRMWARE=bios). There is no VGA text mode under UEFI: the
# kernel's output is on the serial port.
FIRMWARE ?= bios
ifeq ($(FIRMWARE),uefi)
  OVMF ?= $(shell bash $(COMMON_DIR)/deps.sh --ovmf)
  FIRMWARE_FLAGS := -bios $(or $(OVMF),$(error FIRMWARE=uefi: no OVMF firmware found (try: make deps)))
else ifeq ($(FIRMWARE),bios)
  FIRMWARE_FLAGS :=
else
  $(error FIRMWARE=$(FIRMWARE): use FIRMWARE=bios (the default) or FIRMWARE=uefi)
endif
QEMU_FLAGS += $(FIRMWARE_FLAGS)

# A window when there is a display; otherwise the VGA text right in the
# terminal (works over SSH), with the serial port written to a file.
ifneq ($(DISPLAY)$(WAYLAND_DISPLAY),)
  RUN_DISPLAY := -serial stdio
else ifeq ($(shell uname -s),Darwin)
  RUN_DISPLAY := -serial stdio
else
  RUN_DISPLAY := -display curses -serial file:$(BUILD)/serial.log
endif

# Without a display and without a terminal (an editor's task runner, output
# piped), curses cannot draw: run headless and show the serial port instead.
NO_TERMINAL_DISPLAY := -display none -serial stdio

run: $(KERNEL_ISO)
	@echo "  QEMU    $(KERNEL_ISO)   (to quit: close the window; in the terminal press Alt+2, type quit)"
	$(Q)display='$(RUN_DISPLAY)'; \
	if [ "$(filter -display curses,$(RUN_DISPLAY))" ] && ! [ -t 0 -a -t 1 ]; then \
	  echo "  (no display and no terminal: running headless, serial output below; Ctrl-C stops)"; \
	  display='$(NO_TERMINAL_DISPLAY)'; fi; \
	$(QEMU) $(QEMU_FLAGS) $$display -cdrom $(KERNEL_ISO)

# QEMU starts halted with a gdb stub and gdb stops at kmain: see
# common/debug.sh. GDB_ARGS lets test-runner.py add -batch and commands,
# DEBUG_DISPLAY lets it go headless, GDB_SOCKET replaces the TCP port.
DEBUG_DISPLAY ?= $(if $(filter -display curses,$(RUN_DISPLAY)),-display none,)
debug: $(KERNEL_ISO)
	$(Q)QEMU='$(QEMU)' QEMU_FLAGS='$(QEMU_FLAGS)' DEBUG_DISPLAY='$(DEBUG_DISPLAY)' \
	  SERIAL_LOG=$(BUILD)/serial.log GDB='$(GDB)' GDB_ARGS='$(GDB_ARGS)' \
	  GDB_PORT=$(GDB_PORT) GDB_SOCKET='$(GDB_SOCKET)' \
	  bash $(COMMON_DIR)/debug.sh $(KERNEL_ELF) $(KERNEL_ISO)

test: all
	$(Q)cd $(ROOT_DIR) && python3 test-runner.py $(CHAPTER) $(ARGS)

qemu-flags:
	@echo $(QEMU_FLAGS)

firmware-flags:
	@echo $(FIRMWARE_FLAGS)

# make -s print-CC prints $(CC): the root Makefile and test-runner.py ask
# this file which compiler it picks.
print-%:
	@echo '$($*)'

# Install (or name) missing host tools before the first compile.
deps:
	@bash $(COMMON_DIR)/deps.sh

clean:
	$(call quiet,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

.PHONY: all run debug test unit clean qemu-flags firmware-flags deps FORCE
