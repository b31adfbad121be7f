"""A reader's settings from None (the defaults), a dict of overrides or an instance: one
resolver for every reader's settings dataclass, so a misspelt key is an error naming it."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar, cast

Settings = TypeVar("Settings")


def resolve_settings(cls: type[Settings], settings: Settings | dict[str, Any] | None) -> Settings:
    """``cls``'s settings: its defaults for None, the instance itself, or the defaults with a
    dict's overrides; a key ``cls`` has no field for is a ValueError naming it."""
    if settings is None:
        return cls()
    if isinstance(settings, cls):
        return settings
    if isinstance(settings, dict):
        unknown = sorted(set(settings) - {item.name for item in fields(cast(Any, cls))})
        if unknown:
            raise ValueError(f"Unknown {cls.__name__}: {', '.join(unknown)}.")
        return cls(**settings)
    raise TypeError(f"Cannot make {cls.__name__} from {type(settings).__name__}.")
