"""Translation workbench for a newsroom: en -> az, tr, ru with offline MT and terminology checks.

The layers, each a folder (docs/architecture.md): core <- data <- services <- queue <- front ends
(web, api, cli) <- the composition root (app.py, console.py).
"""
