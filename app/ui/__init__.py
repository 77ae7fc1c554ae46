"""The Qt front end. Nothing outside `app.cli`/`app.__main__` imports this package.

`run_app` opens the window; Qt loads on first use of a name, not at `import app.ui`.
"""

from app.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    globals(), {".launch": ("create_application", "run_app"), ".main_window": ("MainWindow",)}
)
