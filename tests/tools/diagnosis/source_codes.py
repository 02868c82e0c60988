"""Find, in the source, every exception code the code base can record.

A code reaches the Exception table in one of three ways, and the scan follows each:

* a ``code=`` argument of a call (``ctx.exceptions.observe(code=...)``, ``FlowError(code=...)``,
  ``OrderInputError(code=...)``, ``FailureDescription(code=...)``), the value written in place or
  held by a constant of the module, of another module, of a class or of an enum;
* a function that takes a ``code`` parameter and passes it on as ``code=code`` (a module's own
  ``_fail`` or ``_observe``): its callers' arguments in that position count too;
* an error class's own code (``code = "..."`` or ``exception_code = "..."`` in its body), which the
  flows forward as ``code=error.code`` / ``code=error.exception_code``.

Calls whose codes answer a person directly and are never stored are left out by callee name (see
``NOT_RECORDED``), so a new way of recording is counted unless someone says otherwise here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# Where failures are recorded; agent/ and slack_app/ only read codes from tool outputs.
SCANNED = ("connectors", "store", "tools")
# The sandboxes play TikTok and SFCC (their codes are the services' own), and the diagnosis only
# reads codes; neither records one.
SKIPPED_PARTS = frozenset({"sandbox", "diagnosis", "migrations"})
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
CODE_ATTRIBUTES = frozenset({"code", "exception_code"})

# Errors whose ``code`` goes back to the caller of a tool or a backend and is never stored.
NOT_RECORDED = {
    "ToolError": "a tool's refusal, returned to the person or model that called the tool",
    "ApprovalRequiredError": "a tool's refusal, returned to the caller",
    "AttributeFillError": "an attribute-fill backend failure; logged, and another backend answers",
    "AttributeProposalError": "a proposal tool's refusal, returned to the caller",
}


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    constants: dict[str, ast.expr] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Found:
    code: str
    where: str


def source_files(root: Path) -> Iterator[Path]:
    for top in SCANNED:
        for path in sorted((root / top).rglob("*.py")):
            if not SKIPPED_PARTS & set(path.relative_to(root).parts):
                yield path


def _absolute(name: str, path: Path, node: ast.ImportFrom) -> str:
    """The module an import reads from, relative imports (``from .issue import X``) included."""
    if not node.level:
        return node.module or ""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def load_modules(root: Path) -> dict[str, Module]:
    modules = {}
    for path in source_files(root):
        name = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        module = Module(name, path, ast.parse(path.read_text(), str(path)))
        for node in module.tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        module.constants[target.id] = node.value
            elif isinstance(node, ast.ClassDef):
                module.classes[node.name] = node
            elif isinstance(node, ast.ImportFrom):
                source = _absolute(name, path, node)
                for alias in node.names:
                    module.imports[alias.asname or alias.name] = (source, alias.name)
        modules[module.name] = module
    return modules


class Resolver:
    """Turns an expression into the code strings it can hold, following constants across modules."""

    def __init__(self, modules: dict[str, Module]) -> None:
        self.modules = modules

    def values(self, node: ast.expr, module: Module, local: dict[str, ast.expr], depth: int = 0) -> set[str]:
        if depth > 12:
            return set()
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.values(node.body, module, local, depth + 1) | self.values(
                node.orelse, module, local, depth + 1
            )
        if isinstance(node, ast.Name):
            if node.id in local:
                return self.values(local[node.id], module, {}, depth + 1)
            return self._named(module, node.id, depth)
        if isinstance(node, ast.Attribute):
            if node.attr == "value":  # SomeEnum.MEMBER.value
                return self.values(node.value, module, local, depth + 1)
            owner = self._class_of(node.value, module)
            if owner is not None:
                return self.class_constant(owner[0], owner[1], node.attr, depth)
        return set()

    def _named(self, module: Module, name: str, depth: int) -> set[str]:
        if name in module.constants:
            return self.values(module.constants[name], module, {}, depth + 1)
        if name in module.imports:
            source, original = module.imports[name]
            other = self.modules.get(source)
            if other is not None:
                return self._named(other, original, depth + 1)
        return set()

    def _class_of(self, node: ast.expr, module: Module) -> tuple[Module, ast.ClassDef] | None:
        if not isinstance(node, ast.Name):
            return None
        if node.id in module.classes:
            return module, module.classes[node.id]
        if node.id in module.imports:
            source, original = module.imports[node.id]
            other = self.modules.get(source)
            if other is not None:
                return self._class_of(ast.Name(id=original), other)
        return None

    def class_constant(self, module: Module, cls: ast.ClassDef, attr: str, depth: int) -> set[str]:
        for statement in cls.body:
            if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                if any(isinstance(t, ast.Name) and t.id == attr for t in targets):
                    return self.values(statement.value, module, {}, depth + 1)
        return set()


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _calls(
    node: ast.AST, function: ast.FunctionDef | None = None
) -> Iterator[tuple[ast.Call, ast.FunctionDef | None]]:
    """Every call with the function it sits in (None at module or class level)."""
    for child in ast.iter_child_nodes(node):
        inner = child if isinstance(child, ast.FunctionDef) else function
        if isinstance(child, ast.Call):
            yield child, function
        yield from _calls(child, inner)


def _locals(function: ast.FunctionDef | None) -> dict[str, ast.expr]:
    found: dict[str, ast.expr] = {}
    if function is None:
        return found
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found[node.targets[0].id] = node.value
    return found


def _forwarders(modules: dict[str, Module]) -> dict[str, int]:
    """Functions that pass their ``code`` parameter on as ``code=code``: name -> its position."""
    found: dict[str, int] = {}
    for module in modules.values():
        for function in (n for n in ast.walk(module.tree) if isinstance(n, ast.FunctionDef)):
            names = [a.arg for a in function.args.args]
            if "code" not in names:
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and any(
                    k.arg == "code" and isinstance(k.value, ast.Name) and k.value.id == "code"
                    for k in node.keywords
                ):
                    found[function.name] = names.index("code")
    return found


def _forwarded(arg: ast.expr, function: ast.FunctionDef | None) -> bool:
    """``code=error.code`` or ``code=code`` (a parameter): a code named elsewhere, passed along."""
    if isinstance(arg, ast.Attribute) and arg.attr in CODE_ATTRIBUTES:
        return True
    params = set()
    if function is not None:
        params = {a.arg for a in [*function.args.args, *function.args.kwonlyargs]}
    return isinstance(arg, ast.Name) and arg.id == "code" and "code" in params


def scan(root: Path = ROOT) -> tuple[list[Found], list[str]]:
    """Every (code, where) the source can record, and the ``code=`` values the scan cannot follow."""
    modules = load_modules(root)
    resolver = Resolver(modules)
    forwarders = _forwarders(modules)
    found: list[Found] = []
    unfollowed: list[str] = []
    for module in modules.values():
        where = str(module.path.relative_to(root))
        for cls in (n for n in ast.walk(module.tree) if isinstance(n, ast.ClassDef)):
            if cls.name in NOT_RECORDED:
                continue
            for attr in CODE_ATTRIBUTES:
                for code in resolver.class_constant(module, cls, attr, 0):
                    found.append(Found(code, f"{where}:{cls.lineno} {cls.name}.{attr}"))
        for node, function in _calls(module.tree):
            if _callee(node) in NOT_RECORDED:
                continue
            args: list[ast.expr] = [k.value for k in node.keywords if k.arg == "code"]
            position = forwarders.get(_callee(node) or "")
            if position is not None:
                # a method's position counts ``self``; a call passes it implicitly
                shift = 1 if isinstance(node.func, ast.Attribute) else 0
                if 0 <= position - shift < len(node.args):
                    args.append(node.args[position - shift])
            for arg in args:
                codes = resolver.values(arg, module, _locals(function))
                if not codes and not _forwarded(arg, function):
                    unfollowed.append(f"{where}:{node.lineno} code={ast.unparse(arg)}")
                found.extend(Found(code, f"{where}:{node.lineno}") for code in codes)
    return [f for f in found if CODE.match(f.code)], unfollowed


def recorded_codes() -> list[Found]:
    """Every (code, where) the source can record."""
    return scan()[0]
