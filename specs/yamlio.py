"""Safe, bounded YAML reading for data files: every refusal names the file, the key and the line.

A data file is small, flat and hand-written, so anything else is refused before it can cost
time or be misread: files over ``MAX_FILE_BYTES``, nesting deeper than ``MAX_DEPTH``, more than
``MAX_NODES`` values (an alias ``*a`` counts as every value it repeats, so a "billion laughs"
expansion stops at once), a key given twice (YAML would silently keep the last), bytes that are
not UTF-8, and dates that do not exist.

>>> load_yaml_text("a: 1\\na: 2\\n", "x.yaml")
Traceback (most recent call last):
...
specs.yamlio.YamlError: x.yaml, line 2: key 'a' is given twice (first on line 1); keep one
"""

from __future__ import annotations

from pathlib import Path

import yaml

from specs.errors import AccelcalcError

MAX_FILE_BYTES = 1_000_000
"""Largest data file read: the largest shipped file is 35 kB (a list of measured cases), a chip
file about 12 kB, so 1 MB leaves room for thirty times more while keeping a parse under a
second."""
MAX_DEPTH = 32
"""Deepest nesting of mappings and lists: the schema nests at most five levels
(chip → scaleup → bandwidth → source → field)."""
MAX_NODES = 20_000
"""Most values in one file: a chip file holds about 300 and the shipped case list about 2,000;
this bounds the time any file takes to a fraction of a second."""


class YamlError(AccelcalcError):
    """A data file that cannot be read as bounded, unambiguous YAML."""


try:  # libyaml's C scanner and parser when installed; the composer below stays in Python
    from yaml.cyaml import CParser as _Events
except ImportError:  # pragma: no cover - pure-Python PyYAML
    class _Events(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class _Loader(yaml.composer.Composer, _Events, yaml.constructor.SafeConstructor,
              yaml.resolver.Resolver):
    """Safe loader that bounds depth and values (aliases expanded), refuses duplicate keys."""

    def __init__(self, stream, name: str):
        _Events.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.name, self.depth, self.nodes = name, 0, 0
        self.anchor_sizes: dict[str, int] = {}

    def _refuse(self, mark, message: str):
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise YamlError(f"{self.name}{line}: {message}")

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):  # counts as every value it repeats
            self._count(event, self.anchor_sizes.get(event.anchor, 1))
            return super().compose_node(parent, index)
        self._count(event, 1)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self._refuse(event.start_mark, f"nested deeper than {MAX_DEPTH} levels; data files "
                         f"follow the schema's flat layout")
        start = self.nodes
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if getattr(event, "anchor", None):
            self.anchor_sizes[event.anchor] = self.nodes - start + 1
        return node

    def _count(self, event, values: int) -> None:
        self.nodes += values
        if self.nodes > MAX_NODES:
            self._refuse(event.start_mark, f"more than {MAX_NODES:,} values (aliases count as "
                         f"the values they repeat); a data file describes one chip, system, "
                         f"model or list of cases")

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                self._refuse(key_node.start_mark, "a key must be a plain name, not a list or "
                             "mapping")
            if key in seen:
                self._refuse(key_node.start_mark, f"key '{key}' is given twice (first on line "
                             f"{seen[key] + 1}); keep one")
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            self._refuse(node.start_mark, f"'{node.value}' is not a real date; write "
                         f"YYYY-MM-DD, e.g. 2024-03-18")


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_yaml_text(text: str, name: str):
    """The document in ``text`` (read from ``name``, which messages quote)."""
    loader = _Loader(text, name)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = " ".join(str(getattr(err, "problem", None) or err).split())
        raise YamlError(f"{name}{line}: not valid YAML ({problem}); check the indentation and "
                        f"quote values that contain ': ' or '#'") from None
    except RecursionError:
        raise YamlError(f"{name}: nested too deeply to read") from None
    finally:
        loader.dispose()


def load_yaml(path: Path | str):
    """The YAML document in the file at ``path``, within the limits above."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlError(f"{path}: {size:,} bytes is larger than the {MAX_FILE_BYTES:,} bytes "
                            f"a data file may have; split it")
        raw = path.read_bytes()
    except OSError as err:
        raise YamlError(f"{path}: cannot read YAML: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise YamlError(f"{path}, line {line}: not UTF-8 text (byte {raw[err.start]:#x}); save "
                        f"the file as UTF-8") from None
    return load_yaml_text(text, str(path))

