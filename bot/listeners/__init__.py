"""Thin adapters per Slack surface; each module here has `register(app, services)`."""

from __future__ import annotations

import importlib
import pkgutil

from slack_bolt import App

from bot.app import Services


def register(app: App, services: Services) -> None:
    """Register every listener module of this package (and the one error handler)."""
    # Bolt tries listeners in the order they were registered, preparing each one's matcher arguments:
    # slash commands, most of the traffic, come first.
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: (i.name != "commands", i.name)):
        module = importlib.import_module(f"{__name__}.{info.name}")
        hook = getattr(module, "register", None)
        if hook is not None:
            hook(app, services)
