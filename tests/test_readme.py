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


def test_worked_example_output_is_what_the_commands_print(capsys):
    """Snapshot of the README's worked example: each command's table, line by line (the price
    lines below it carry price ages, which change with the date, and are not compared)."""
    from calc.cli import main

    blocks = re.findall(r"```console\n\$ (.*?)\n```", README, flags=re.S)
    assert len(blocks) >= 2
    for block in blocks:
        command, _, shown = block.partition("\n    ")
        rest, _, shown = shown.partition("\n")
        argv = (command.rstrip(" \\") + " " + rest).split()[3:]
        assert main(argv) == 0
        printed = capsys.readouterr().out
        expected = shown.split("\nprices used")[0].strip()
        assert printed.split("\nprices used")[0].strip() == expected
