"""What `terraform fmt` would change, checked offline (no terraform binary on these machines):
tabs, trailing spaces, the final newline, two spaces of indentation per line that opens brackets
(`jsonencode({` is one level, as terraform counts them), one space after an attribute's `=`, and
the `=` of consecutive one-line attributes aligned."""

from __future__ import annotations

import re

ATTRIBUTE = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_-]*)(\s*)=(?!=)(\s*)(.*)$")
HEREDOC = re.compile(r"<<-?\s*([A-Z_]+)\s*$")


def _code_of(line: str) -> str:
    """The line without its strings and comments (brackets in them do not nest)."""
    out, quoted, i = [], False, 0
    while i < len(line):
        c = line[i]
        if quoted:
            if c == "\\":
                i += 1
            elif c == '"':
                quoted = False
        elif c == '"':
            quoted = True
        elif c == "#" or line.startswith("//", i):
            break
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _close(levels: list[int], count: int) -> None:
    for _ in range(count):
        if not levels:
            return
        levels[-1] -= 1
        if levels[-1] == 0:
            levels.pop()


def fmt_problems(text: str, name: str = "<hcl>") -> list[str]:
    problems: list[str] = []
    if text and not text.endswith("\n"):
        problems.append(f"{name}: no newline at the end")
    levels: list[int] = []  # per indentation level: the brackets still open that its line opened
    heredoc = None
    run: list[tuple[int, int]] = []  # (line number, column of `=`) of consecutive one-line attributes

    def close_run() -> None:
        if len(run) > 1 and len({col for _, col in run}) > 1:
            problems.append(f"{name}:{run[0][0]}-{run[-1][0]}: the `=` of these attributes are not aligned")
        run.clear()

    for number, line in enumerate(text.split("\n"), 1):
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        if "\t" in line:
            problems.append(f"{name}:{number}: a tab")
        if line != line.rstrip():
            problems.append(f"{name}:{number}: trailing whitespace")
        stripped = line.strip()
        code = _code_of(stripped)
        opens = sum(code.count(c) for c in "{[(")
        closes = sum(code.count(c) for c in "}])")
        leading_closes = len(code) - len(code.lstrip("}])"))
        _close(levels, leading_closes)
        if stripped:
            want = 2 * len(levels)
            have = len(line) - len(line.lstrip(" "))
            if have != want:
                problems.append(f"{name}:{number}: indented {have} spaces, not {want}")
        attribute = ATTRIBUTE.match(line)
        if attribute and not stripped.startswith("#"):
            if attribute.group(4) != " " and attribute.group(5):
                problems.append(f"{name}:{number}: not one space after `=`")
            if opens == closes:
                if run and run[-1][0] != number - 1:
                    close_run()
                run.append((number, len(attribute.group(1)) + len(attribute.group(2)) + len(attribute.group(3))))
            else:
                close_run()
        else:
            close_run()
        net = opens - (closes - leading_closes)
        if net > 0:
            levels.append(net)
        else:
            _close(levels, -net)
        doc = HEREDOC.search(code)
        if doc:
            heredoc = doc.group(1)
    close_run()
    if levels:
        problems.append(f"{name}: brackets left open at the end")
    return problems
