"""The MkDocs option types the `kb` settings use, without MkDocs' `config_options` module.

`mkdocs.config.config_options` imports MkDocs' theme, plugin and Markdown machinery (Jinja2,
Babel, pathspec): about 0.1 s that every `kb` command would pay just to read its settings.
These classes re-implement the five option types kbtools uses (`Type`, `Choice`,
`ListOfItems`, `DictOfItems`, `SubConfig`) on `mkdocs.config.base` with MkDocs 1.6's
behaviour and messages, so `KbConfig` stays a MkDocs `Config` the plugin uses as is.
`tests/test_optiontypes.py` validates the same settings with both and compares.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from typing import Any, Generic, TypeVar, overload

from mkdocs.config.base import BaseConfigOption, Config, LegacyConfig, ValidationError
from mkdocs.exceptions import ConfigurationError

T = TypeVar("T")
C = TypeVar("C", bound=Config)


class _Optional(BaseConfigOption[T]):
    """A missing (None) value takes the default; MkDocs' `OptionallyRequired`."""

    def __init__(self, default: Any = None, required: bool | None = None) -> None:
        super().__init__()
        self.default = default
        self.required = bool(required)

    def validate(self, value: object, /) -> T:
        if value is None:
            if self.default is not None:
                value = self.default
            elif not self.required:
                return None  # type: ignore[return-value]  # as MkDocs does
            else:
                raise ValidationError("Required configuration not provided.")
        return self.run_validation(value)  # type: ignore[no-any-return]


class Type(_Optional[T]):
    """A value of a given Python type (or tuple of types)."""

    @overload
    def __init__(self, type_: type[T], /, default: Any = None) -> None: ...

    @overload
    def __init__(self, type_: tuple[type[T], ...], /, default: Any = None) -> None: ...

    def __init__(self, type_: Any, /, default: Any = None) -> None:
        super().__init__(default=default)
        self._type = type_

    def run_validation(self, value: object, /) -> T:
        if not isinstance(value, self._type):
            raise ValidationError(f"Expected type: {self._type} but received: {type(value)}")
        return value  # type: ignore[no-any-return]


class Choice(_Optional[T]):
    """One value of a fixed set."""

    def __init__(self, choices: Collection[T], default: T | None = None) -> None:
        super().__init__(default=default)
        if not choices or isinstance(choices, str):
            raise ValueError(f"Expected iterable of choices, got {choices}")
        if default is not None and default not in choices:
            raise ValueError(f"{default!r} is not one of {choices!r}")
        self.choices = choices

    def run_validation(self, value: object, /) -> T:
        if value is False and "off" in self.choices:
            # YAML 1.1 (PyYAML, MkDocs) reads a bare `off` as false: `style: off` means "off".
            value = "off"
        if value not in self.choices:
            raise ValidationError(f"Expected one of: {self.choices} but received: {value!r}")
        return value  # type: ignore[return-value]


V = TypeVar("V")


class _Items(BaseConfigOption[V], Generic[T, V]):
    """Shared part of ListOfItems and DictOfItems: one option type (T) for every item."""

    required: bool | None = None  # a class-based Config sets it to True on its options

    def __init__(self, option_type: BaseConfigOption[T], default: Any = None) -> None:
        super().__init__()
        self.default = default
        self.option_type = option_type
        self.option_type.warnings = self.warnings

    def pre_validation(self, config: Config, key_name: str) -> None:
        self._config = config
        self._key_name = key_name

    def _fake_config(self) -> LegacyConfig:
        fake = LegacyConfig(())
        with contextlib.suppress(AttributeError):  # not set when validated outside a Config
            fake.config_file_path = self._config.config_file_path
        return fake


class ListOfItems(_Items[T, list[T]]):
    """A list whose items all validate against one option type."""

    def run_validation(self, value: object, /) -> list[T]:
        if value is None:
            if self.required or self.default is None:
                raise ValidationError("Required configuration not provided.")
            value = self.default
        if not isinstance(value, list):
            raise ValidationError(f"Expected a list of items, but a {type(value)} was given.")
        if not value:
            return value
        fake = self._fake_config()
        parent = getattr(self, "_key_name", "")
        keys = [f"{parent}[{i}]" for i in range(len(value))]
        fake.data = dict(zip(keys, value, strict=True))
        self.option_type.warnings = self.warnings
        for key in fake:
            self.option_type.pre_validation(fake, key)
        for key in fake:
            fake[key] = self.option_type.run_validation(fake[key])
        for key in fake:
            self.option_type.post_validation(fake, key)
        return [fake[k] for k in keys]


class DictOfItems(_Items[T, dict[str, T]]):
    """A mapping with string keys whose values all validate against one option type."""

    def run_validation(self, value: object, /) -> dict[str, T]:
        if value is None:
            if self.required or self.default is None:
                raise ValidationError("Required configuration not provided.")
            value = self.default
        if not isinstance(value, dict):
            raise ValidationError(f"Expected a dict of items, but a {type(value)} was given.")
        if not value:
            return value
        fake = self._fake_config()
        fake.data = value
        for key in fake:
            self.option_type.pre_validation(fake, key)
        for key in fake:
            if not isinstance(key, str):
                raise ValidationError(
                    f"Expected type: {str} for keys, but received: {type(key)} (key={key})"
                )
        for key in fake:
            fake[key] = self.option_type.run_validation(fake[key])
        for key in fake:
            self.option_type.post_validation(fake, key)
        return value


class SubConfig(BaseConfigOption[C], Generic[C]):
    """A nested group of options, itself a `Config` class."""

    _config_file_path: str | None = None

    def __init__(self, config_class: type[C]) -> None:
        super().__init__()
        self.default = {}
        self.config_class = config_class

    def pre_validation(self, config: Config, key_name: str) -> None:
        self._config_file_path = config.config_file_path

    def run_validation(self, value: object, /) -> C:
        config = self.config_class(config_file_path=self._config_file_path)
        try:
            config.load_dict(value)  # type: ignore[arg-type]
            failed, warnings = config.validate()
        except ConfigurationError as exc:
            raise ValidationError(str(exc)) from None
        self.warnings.extend(f"Sub-option '{key}': {msg}" for key, msg in warnings)
        if failed:
            key, err = failed[0]
            raise ValidationError(f"Sub-option '{key}': {err}")
        return config
