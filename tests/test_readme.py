"""The README opens with the two commands, and CI runs exactly the second one."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands():
    text = (ROOT / "README.md").read_text()
    block = text.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_starts_with_two_commands():
    text = (ROOT / "README.md").read_text()
    before = text.split("```bash\n", 1)[0]
    assert before.strip() == "# takeoff"
    commands = _readme_commands()
    assert len(commands) == 2
    assert "takeoff forecast" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _readme_commands()[1] in ci


def _layout_tree() -> list[tuple[int, str]]:
    """(indent, name) of each folder or file named at the start of a line of the Layout tree."""
    text = (ROOT / "README.md").read_text()
    block = text.split("## Layout", 1)[1].split("```\n", 1)[1].split("```", 1)[0]
    out = []
    for line in block.splitlines():
        first = line.split()[0] if line.strip() else ""
        if first.endswith("/") or first.endswith(".py"):
            out.append((len(line) - len(line.lstrip()), first))
    return out


def test_the_layout_section_matches_the_package_tree():
    """Every folder the Layout names exists where it says, and every package folder of
    takeoff/ is named there."""
    named, stack = set(), []
    for indent, name in _layout_tree():
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = "".join(n for _, n in stack) + name
        if name.endswith("/"):
            stack.append((indent, name))
            named.add(path.rstrip("/"))
            assert (ROOT / path).is_dir(), f"the Layout names {path}, which is not a folder"
    packages = {
        str(p.parent.relative_to(ROOT))
        for p in (ROOT / "takeoff").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert packages <= named, f"package folders missing from the Layout: {packages - named}"
