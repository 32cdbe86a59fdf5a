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
# 1. x86_64-elf-gcc, the cross compiler the OS-dev community recommends,
#    when it is on PATH: it knows nothing about the host system.
# 2. Otherwise the host's gcc, which is fine on an x86_64 host once the
#    flags below switch off everything a hosted program would want.
# 3. make CC=clang: clang is a cross compiler already; --target picks x86_64.
# ---------------------------------------------------------------------------
HOST_ARCH := $(shell uname -m)
HAVE_CROSS := $(shell command -v x86_64-elf-gcc 2>/dev/null)

ifeq ($(origin CC),default)
  ifneq ($(HAVE_CROSS),)
    CC := x86_64-elf-gcc
  else
    CC := gcc
  endif
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
ifneq ($(CC_IS_CROSS),)
  LD := x86_64-elf-ld
  NM := x86_64-elf-nm
else ifneq ($(shell ld -V 2>/dev/null | grep -w elf_x86_64),)
  LD := ld
  NM := nm
else
  LD := ld.lld
  NM := llvm-nm
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

# GRUB's tools; Homebrew's cross GRUB names them x86_64-elf-grub-mkrescue etc.
GRUB_MKRESCUE ?= grub-mkrescue
GRUB_FILE ?= grub-file

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
ALL_OBJS := $(KERNEL_OBJS) $(TEST_SUPPORT_OBJS) $(TEST_KERNELS:%=$(BUILD)/%.o)

all: $(KERNEL_ISO) $(TEST_ISOS)

# Every object depends on the flags too: make CC=clang after a gcc build
# rebuilds everything instead of linking a mix.
FLAGS_FILE := $(BUILD)/flags
FLAGS_NOW := $(CC) $(KERNEL_CFLAGS) $(LD) $(KERNEL_LDFLAGS)
$(FLAGS_FILE): FORCE deps
	@mkdir -p $(@D)
	@if [ "$$(cat $@ 2>/dev/null)" != '$(FLAGS_NOW)' ]; then echo '$(FLAGS_NOW)' > $@; fi

$(BUILD)/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(@D)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S $(FLAGS_FILE)
	@mkdir -p $(@D)
	$(call quiet,AS,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# Link, then refuse a kernel that references anything we did not write
# (the compiler sometimes calls library functions on its own) or that GRUB
# would not recognise as multiboot2.
$(BUILD)/%.elf: linker.ld
	$(call quiet,LD,$@)
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(filter %.o,$^)
	$(Q)undefined="$$($(NM) -u $@)"; if [ -n "$$undefined" ]; then \
	  echo "error: $@ uses symbols nobody defines:" >&2; echo "$$undefined" >&2; rm -f $@; exit 1; fi
	$(Q)if ! $(GRUB_FILE) --is-x86-multiboot2 $@; then \
	  echo "error: $(GRUB_FILE) finds no valid multiboot2 header in $@" >&2; rm -f $@; exit 1; fi

$(KERNEL_ELF): $(KERNEL_OBJS)

$(TEST_KERNELS:%=$(BUILD)/%.elf): $(BUILD)/tests/%.elf: $(BUILD)/tests/%.o $(TEST_BASE_OBJS)

# A bootable CD image: GRUB (BIOS) plus our kernel and grub.cfg.
$(BUILD)/%.iso: $(BUILD)/%.elf $(COMMON_DIR)/grub.cfg
	$(call quiet,ISO,$@)
	$(Q)dir=$$(mktemp -d $@.XXXXXX) && mkdir -p $$dir/boot/grub && \
	  cp $< $$dir/boot/kernel.elf && cp $(COMMON_DIR)/grub.cfg $$dir/boot/grub/grub.cfg && \
	  if ! $(GRUB_MKRESCUE) -o $@ $$dir >$@.log 2>&1; then \
	    cat $@.log >&2; rm -rf $$dir; \
	    echo "error: grub-mkrescue failed (is grub-pc-bin installed? try: make deps)" >&2; exit 1; \
	  fi; rm -rf $$dir

-include $(ALL_OBJS:.o=.d)

# ---------------------------------------------------------------------------
# Host unit tests (chapter 03 on): unit/*.c with the pure sources they test,
# built for this machine with AddressSanitizer and UndefinedBehaviorSanitizer:
# an out-of-bounds write or signed overflow stops the test with a report.
# ---------------------------------------------------------------------------
HOSTCC ?= cc
UNIT_SOURCES := $(wildcard unit/*.c)
UNIT_RUNNER := $(BUILD)/unit/run-unit-tests
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -I. \
  -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

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
GDB ?= gdb
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

# A window when there is a display; otherwise the VGA text right in the
# terminal (works over SSH), with the serial port written to a file.
ifneq ($(DISPLAY)$(WAYLAND_DISPLAY),)
  RUN_DISPLAY := -serial stdio
else ifeq ($(shell uname -s),Darwin)
  RUN_DISPLAY := -serial stdio
else
  RUN_DISPLAY := -display curses -serial file:$(BUILD)/serial.log
endif

run: $(KERNEL_ISO)
	@echo "  QEMU    $(KERNEL_ISO)   (to quit: close the window; in the terminal press Alt+2, type quit)"
	$(Q)$(QEMU) $(QEMU_FLAGS) $(RUN_DISPLAY) -cdrom $(KERNEL_ISO)

# QEMU starts halted (-S) with a gdb stub; gdb loads the kernel's symbols,
# connects and runs common/kernel.gdb, which stops at kmain. GDB_ARGS lets
# test-runner.py add -batch and commands; DEBUG_DISPLAY lets it go headless.
# Ctrl-C is gdb's key for "interrupt the kernel", not a reason to stop QEMU:
# setsid starts QEMU in its own session, out of reach of the terminal's
# SIGINT, and the shell ignores it too (trap :) and stops QEMU when gdb exits.
SETSID := $(shell command -v setsid 2>/dev/null)
DEBUG_DISPLAY ?= $(if $(filter -display curses,$(RUN_DISPLAY)),-display none,)
debug: $(KERNEL_ISO)
	@echo "  QEMU    $(KERNEL_ISO) halted, gdb stub on 127.0.0.1:$(GDB_PORT)"
	$(Q)$(SETSID) $(QEMU) $(QEMU_FLAGS) $(DEBUG_DISPLAY) -serial file:$(BUILD)/serial.log -cdrom $(KERNEL_ISO) \
	  -S -gdb tcp:127.0.0.1:$(GDB_PORT) & qemu=$$!; \
	  trap 'kill $$qemu 2>/dev/null' EXIT; trap 'exit 1' HUP TERM; trap : INT; \
	  $(GDB) -q -nx $(KERNEL_ELF) -ex 'target remote 127.0.0.1:$(GDB_PORT)' \
	    -x $(COMMON_DIR)/kernel.gdb $(GDB_ARGS)

test: all
	$(Q)cd $(ROOT_DIR) && python3 test-runner.py $(CHAPTER)

qemu-flags:
	@echo $(QEMU_FLAGS)

# Install (or name) missing host tools before the first compile.
deps:
	@bash $(COMMON_DIR)/deps.sh

clean:
	$(call quiet,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

.PHONY: all run debug test unit clean qemu-flags deps FORCE
