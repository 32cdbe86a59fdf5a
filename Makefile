# The reader's entry point. `make help` lists what it does.
#
#   make chapter-3 run      build and boot chapter 3 (so does make chapter-03 run)
#   make test               build, unit-test and boot every chapter

CHAPTER_DIRS := $(sort $(patsubst chapters/%/,%,$(wildcard chapters/[0-9][0-9]-*/)))
comma := ,
close := )
CHAPTER_LIST := $(subst $(close) ,$(close)$(comma) ,$(foreach d,$(CHAPTER_DIRS),$(patsubst 0%,%,$(firstword $(subst -, ,$(d)))) ($(d))))
LAST_CHAPTER := $(lastword $(CHAPTER_DIRS))

# `make chapter-N ACTION`: chapter-N picks the chapter, ACTION is a goal of its own.
CHAPTER_GOALS := $(filter chapter-%,$(MAKECMDGOALS))
ifneq ($(words $(CHAPTER_GOALS)),0)
  ifneq ($(words $(CHAPTER_GOALS)),1)
    $(error Name one chapter at a time, not $(CHAPTER_GOALS))
  endif
  CHAPTER_NUMBER := $(patsubst chapter-%,%,$(CHAPTER_GOALS))
  CHAPTER := $(firstword $(foreach d,$(CHAPTER_DIRS),\
    $(if $(filter $(CHAPTER_NUMBER) 0$(CHAPTER_NUMBER),$(firstword $(subst -, ,$(d)))),$(d))))
  ifeq ($(CHAPTER),)
    $(error There is no chapter '$(CHAPTER_NUMBER)'. The chapters are: $(CHAPTER_LIST))
  endif
endif
ACTIONS := $(filter-out $(CHAPTER_GOALS),$(MAKECMDGOALS))

# Extra arguments for test-runner.py, e.g. make test ARGS="-v -j 1".
ARGS ?=
DEPS := bash common/deps.sh

.PHONY: help all run test debug unit diff deps clean toolchain toolchain-check $(CHAPTER_GOALS)

help:
	@echo "make run                 build and boot the last chapter ($(LAST_CHAPTER))"
	@echo "make test                all chapters: build, unit tests, every boot diffed against its transcript"
	@echo "make chapter-N run       build and boot chapter N; also chapter-N test, debug, diff, clean"
	@echo "make chapter-N debug     boot chapter N halted with a gdb stub and attach gdb, stopped at kmain"
	@echo "make chapter-N diff      what chapter N changed against chapter N-1"
	@echo "make chapter-N unit      build and run chapter N's host unit tests (chapter 3 on)"
	@echo "make deps                install the host packages (Debian/Ubuntu; others: what to install)"
	@echo "make toolchain           build the x86_64-elf cross compiler into toolchain/ (20-35 minutes; docs/setup.md)"
	@echo "make toolchain-check     every chapter built with that cross compiler, every boot diffed"
	@echo "make clean               remove every build/ directory"
	@echo "Chapters: $(CHAPTER_LIST)"
	@echo "test-runner.py options go in ARGS, e.g. make test ARGS=\"-v\"; see ./test-runner.py --help"
	@printf 'Compiler: %s\n' "$$($(MAKE) -s --no-print-directory -C chapters/$(LAST_CHAPTER) print-COMPILER)"

# `make chapter-N` alone builds it; with an action the action does the work.
$(CHAPTER_GOALS):
	$(if $(ACTIONS),@:,$(MAKE) -C chapters/$(CHAPTER) all)

all:
	@set -e; for d in $(if $(CHAPTER),$(CHAPTER),$(CHAPTER_DIRS)); do $(MAKE) -C chapters/$$d all; done

run:
	@$(DEPS)
	$(MAKE) -C chapters/$(or $(CHAPTER),$(LAST_CHAPTER)) run

debug:
	@$(DEPS)
	$(MAKE) -C chapters/$(or $(CHAPTER),$(LAST_CHAPTER)) debug

test:
	@$(DEPS)
ifeq ($(CHAPTER),)
	python3 -m unittest discover -s common/harness -t common -p '*_test.py'
	python3 common/toolchain_test.py
	python3 test-runner.py$(if $(ARGS), $(ARGS))
else
	python3 test-runner.py $(CHAPTER)$(if $(ARGS), $(ARGS))
endif

unit:
	$(MAKE) -C chapters/$(or $(CHAPTER),$(LAST_CHAPTER)) unit

diff:
	@python3 test-runner.py --diff $(or $(CHAPTER),$(LAST_CHAPTER))

deps:
	@$(DEPS)

# The x86_64-elf cross compiler, built into toolchain/ (or PREFIX=...):
# see common/toolchain.sh and docs/setup.md.
toolchain:
	@bash common/toolchain.sh

toolchain-check:
	@$(DEPS)
	python3 test-runner.py --cross$(if $(CHAPTER), $(CHAPTER))$(if $(ARGS), $(ARGS))

clean:
	@for d in $(if $(CHAPTER),$(CHAPTER),$(CHAPTER_DIRS)); do $(MAKE) -s -C chapters/$$d clean; done
