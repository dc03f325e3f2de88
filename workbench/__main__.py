"""`python -m workbench` runs the command line (where the console script is not on PATH)."""

from workbench.console import main

main()
