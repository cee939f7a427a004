"""One labelled-enum base: a status's stored value and its Chinese label declared together (pure, no Flask)."""

from __future__ import annotations

import enum


class LabelledEnum(enum.StrEnum):
    """A StrEnum whose members are declared as NAME = "value", "中文标签"; compares and stores as the value."""

    label: str

    def __new__(cls, value: str, label: str):
        """Make the member from its stored value, keeping the label beside it."""
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def labels(cls) -> dict[LabelledEnum, str]:
        """Every member and its label, in declaration order (for choice lists and legacy label dicts)."""
        return {member: member.label for member in cls}

    @classmethod
    def label_of(cls, value: str) -> str:
        """The label of a stored value; an unknown value (an old row) is shown as it is."""
        try:
            return cls(value).label
        except ValueError:
            return value
