"""The Qt front end. Nothing outside `app.cli`/`app.__main__` imports this package."""
