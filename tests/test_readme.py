"""The README is true: CI runs its test command, and its Python example runs."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text()


def test_ci_runs_the_readme_test_command_verbatim():
    blocks = re.findall(r"```\n(.*?)\n```", README, flags=re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()


def test_python_example_runs(capsys):
    example = re.search(r"```python\n(.*?)```", README, flags=re.S).group(1)
    exec(compile(example, "README.md", "exec"), {})
    assert "tp" in capsys.readouterr().out
