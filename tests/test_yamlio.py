"""Data files are read within bounds: every refusal names the file, the line and what to write."""

import pytest

from specs.catalog import CatalogError, load_catalog
from specs.errors import AccelcalcError
from specs.yamlio import MAX_DEPTH, YamlError, load_yaml
from tests.timebound import within

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


@pytest.mark.parametrize("text,fragment", [
    ("a: 1\nb: 2\na: 3\n", "line 3: key 'a' is given twice (first on line 1)"),
    (ALIAS_BOMB, "more than 20,000 values (aliases count as the values they repeat)"),
    ("a: " + "[" * 1000 + "]" * 1000 + "\n", "line 1"),
    ("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", "nested deeper than"),
    ("a: [" + "1," * 200_000 + "]\n", "more than 20,000 values"),
    ("".join(f"k{i}: {i}\n" for i in range(200_000)), "bytes is larger than"),
    ("date: 2023-02-30\n", "line 1: '2023-02-30' is not a real date"),
    ("a: [1,\n", "not valid YAML"),
])
def test_ambiguous_or_unbounded_yaml_is_refused_quickly_naming_file_and_line(tmp_path, text,
                                                                             fragment):
    path = tmp_path / "chip.yaml"
    path.write_text(text, encoding="utf-8")
    with within(5), pytest.raises(YamlError) as err:
        load_yaml(path)
    assert str(err.value).startswith(f"{path}") and fragment in str(err.value)


def test_a_few_aliases_are_read_as_the_values_they_repeat(tmp_path):
    path = tmp_path / "chip.yaml"
    path.write_text("a: &s {url: x, n: [1, 2]}\nb: *s\nc: *s\n", encoding="utf-8")
    data = load_yaml(path)
    assert data["b"] == data["c"] == {"url": "x", "n": [1, 2]}


def test_a_file_that_is_not_utf8_is_refused_naming_file_and_line(tmp_path):
    path = tmp_path / "chip.yaml"
    path.write_bytes("name: ok\nvendor: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(YamlError, match=r"chip.yaml, line 2: not UTF-8 text .* save the file"):
        load_yaml(path)


def test_the_catalog_refuses_a_missing_folder_and_reads_one_extra_path(tmp_path):
    with pytest.raises(CatalogError, match="/nonexistent does not exist"):
        load_catalog(root="/nonexistent")
    with pytest.raises(AccelcalcError, match=r"^x\.yaml: cannot read YAML"):
        load_catalog(extra="x.yaml")  # one path, not the characters x, ., y…
    with pytest.raises(CatalogError, match="extra must be a list"):
        load_catalog(extra=5)
