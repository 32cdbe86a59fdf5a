"""The harness that ./test-runner.py runs, one module per part. A module
imports only modules listed above it, so it reads without the ones below:

    config       the repository root, the constants every part shares, ConfigError
    keyboard     a boot's `keys`: reading the steps, typing them through QMP
    screen       the VGA text screen as the screen and colors transcripts
    serial       serial output as transcript text
    masks        the two rules that mask output that varies (kernel addresses, time values)
    screenshots  QEMU's PPM screendump as a PNG for the docs
    ktap         reading KTAP test results
    boots        the chapters and their boots.ini
    processes    every child process a run starts, killed on a signal; commands with a timeout
    qemu         one boot's QEMU, watched through QMP until it ends, and what it showed
    judging      a boot's outputs against its transcripts: the Result; --update
    debug_check  the gdb check: the chapter's real `make debug`
    changes      what a chapter changed (--diff), and its page's "Files changed" list
    excerpts     code excerpts in the docs, matched against the files they quote
    docs_checks  the docs checks: each chapter's page, and the shared pages
    building     builds, and the clang, cross and host-unit-tests checks
    cli          the command line: options, running the boots, reporting, main

Each module's tests are beside it in NAME_test.py (cli_test.py also runs
test-runner.py itself); fixtures.py holds the fake screens and chapters
they share. Run them all with

    python3 -m unittest discover -s common/harness -t common -p '*_test.py'
"""
