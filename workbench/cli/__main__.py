"""`python -m workbench.cli` runs the command line (used where the console script is not on PATH)."""

from workbench.cli import main

main()
