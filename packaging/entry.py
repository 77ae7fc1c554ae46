"""The frozen app's entry script (PyInstaller runs this file as __main__ inside the bundle)."""

import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    # A library that starts worker processes must not re-run the app in each child on Windows/macOS.
    multiprocessing.freeze_support()
    sys.exit(main())
