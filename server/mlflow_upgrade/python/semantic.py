"""Name resolution and type inference over CPython's ast.

One walk records scopes, bindings and the nodes rules ask about. Resolution is
flow-insensitive and conservative: a name resolves only when every binding of it
in its scope agrees, so reassigned or unknown names never resolve to MLflow.
"""

from __future__ import annotations

import ast
import bisect
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.version_guard import guarded_branches

_MAX_DEPTH = 12
_FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_GUARD_EXCEPTIONS = {"ImportError", "ModuleNotFoundError", "AttributeError", "TypeError"}


@dataclass(eq=False)
class Scope:
    kind: str  # module | function | class | comprehension
    node: ast.AST
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=lambda: defaultdict(list))
    global_names: set[str] = field(default_factory=set)


@dataclass(eq=False)
class Binding:
    kind: str  # import | assign | iterate | with | param | def | class | unknown
    # The scope, held weakly: a scope holds its bindings, and a cycle between them kept
    # each superseded analysis (its tree, through `value` and `definition`) alive until
    # a cycle collection, which on large files then paused the server for a second.
    # The model holds every scope as long as its bindings are used.
    scope_ref: weakref.ReferenceType[Scope]
    value: ast.expr | None = None
    imported: str | None = None  # dotted name for imports ("." prefix for relative)
    annotation: ast.expr | None = None
    definition: ast.AST | None = None
    position: tuple[int, int] = (0, 0)  # where the name becomes bound
    block: tuple[int, ...] = ()  # the nested statement lists it is bound in

    @property
    def scope(self) -> Scope:
        scope = self.scope_ref()
        assert scope is not None, "a binding outlived its semantic model"
        return scope


@dataclass(eq=False)
class CallSite:
    node: ast.Call
    scope: Scope
    callee: str

    def keyword(self, name: str) -> ast.keyword | None:
        return next((k for k in self.node.keywords if k.arg == name), None)

    @property
    def positional(self) -> list[ast.expr]:
        return list(self.node.args)

    @property
    def has_star_args(self) -> bool:
        return any(isinstance(a, ast.Starred) for a in self.node.args) or any(
            k.arg is None for k in self.node.keywords
        )


def _last_identifier(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


class _Collector(ast.NodeVisitor):
    """Builds scopes and bindings, and indexes calls, attributes and strings."""

    def __init__(self, module: ast.Module) -> None:
        self.module_scope = Scope("module", module, None)
        self.scope = self.module_scope
        self.calls_by_identifier: dict[str, list[tuple[ast.Call, Scope]]] = defaultdict(list)
        self.attributes: dict[str, list[tuple[ast.Attribute, Scope]]] = defaultdict(list)
        self.names: dict[str, list[tuple[ast.Name, Scope]]] = defaultdict(list)
        self.strings: list[tuple[ast.Constant, Scope]] = []
        self.imports: list[tuple[ast.Import | ast.ImportFrom, Scope]] = []
        self.function_scopes: dict[ast.AST, Scope] = {}
        self.docstrings: set[int] = set()
        self.handler_bodies: list[ast.ExceptHandler] = []
        self.version_ifs: list[tuple[ast.If, Scope]] = []
        self._pending: dict[int, Binding] = {}
        self._block: tuple[int, ...] = ()
        self._bind_at: tuple[int, int] | None = None
        self.use_blocks: dict[int, tuple[int, ...]] = {}
        # original identifier -> names it is also called by (`as` imports, `lm = x.log_model`)
        self.aliases: dict[str, set[str]] = defaultdict(set)
        # names imported from modules that are not MLflow's: they may be re-exports
        self.foreign_imports: set[str] = set()

    # Traversal: a dispatch table instead of NodeVisitor's per-node getattr, because
    # the walk over every node is most of the analysis time on large files.
    def visit(self, node: ast.AST) -> None:
        method = _DISPATCH.get(type(node))
        if method is None:
            self.generic_visit(node)
        else:
            method(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    # Scopes -----------------------------------------------------------------
    def _enter(self, kind: str, node: ast.AST) -> Scope:
        scope = Scope(kind, node, self.scope)
        scope.outer_block = self._block  # type: ignore[attr-defined]
        self.scope = scope
        self._block = ()
        return scope

    def _leave(self, scope: Scope) -> None:
        self.scope = scope.parent or self.module_scope
        self._block = scope.outer_block  # type: ignore[attr-defined]

    def _visit_block(self, statements: list[ast.stmt]) -> None:
        """Statements that may or may not run (a branch, a loop body, a handler)."""
        outer = self._block
        self._block = (*outer, id(statements))
        for statement in statements:
            self.visit(statement)
        self._block = outer

    def _binding(self, kind: str, **details: ast.AST | str | None) -> Binding:
        return Binding(kind, weakref.ref(self.scope), **details)  # type: ignore[arg-type]

    def _bind(self, name: str, binding: Binding, node: ast.AST | None = None) -> None:
        if self._bind_at is not None:
            binding.position = self._bind_at
        elif node is not None and hasattr(node, "end_lineno"):
            binding.position = (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        binding.block = self._block
        scope = self.scope
        if name in scope.global_names:
            scope = self.module_scope
        scope.bindings[name].append(binding)

    def _note_docstring(self, body: list[ast.stmt]) -> None:
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self.docstrings.add(id(body[0].value))

    def visit_Module(self, node: ast.Module) -> None:
        self._note_docstring(node.body)
        self.generic_visit(node)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._visit_arguments_outside(node.args)
        if node.returns:
            self.visit(node.returns)
        self._bind(node.name, self._binding("def", definition=node), node)
        scope = self._enter("function", node)
        self.function_scopes[node] = scope
        self._bind_parameters(node.args)
        self._note_docstring(node.body)
        for statement in node.body:
            self.visit(statement)
        self._leave(scope)

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_arguments_outside(node.args)
        scope = self._enter("function", node)
        self._bind_parameters(node.args)
        self.visit(node.body)
        self._leave(scope)

    def _visit_arguments_outside(self, args: ast.arguments) -> None:
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.visit(default)
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)

    def _bind_parameters(self, args: ast.arguments) -> None:
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            self._bind(arg.arg, self._binding("param", annotation=arg.annotation))
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                self._bind(arg.arg, self._binding("unknown"))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        self._bind(node.name, self._binding("class", definition=node), node)
        scope = self._enter("class", node)
        self._note_docstring(node.body)
        for statement in node.body:
            self.visit(statement)
        self._leave(scope)

    def _visit_comprehension(self, node: ast.AST) -> None:
        generators: list[ast.comprehension] = node.generators  # type: ignore[attr-defined]
        self.visit(generators[0].iter)  # evaluated in the enclosing scope
        scope = self._enter("comprehension", node)
        for index, generator in enumerate(generators):
            if index:
                self.visit(generator.iter)
            self._bind_target(generator.target, "iterate", generator.iter)
            for condition in generator.ifs:
                self.visit(condition)
        for part in ("elt", "key", "value"):
            if hasattr(node, part):
                self.visit(getattr(node, part))
        self._leave(scope)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _visit_comprehension

    # Bindings ---------------------------------------------------------------
    def _bind_target(self, target: ast.expr, kind: str, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self._pending[id(target)] = self._binding(kind, value=value)
        self.visit(target)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.names[node.id].append((node, self.scope))
            self.use_blocks[id(node)] = self._block
            return
        binding = self._pending.pop(id(node), None) or self._binding("unknown")
        self._bind(node.id, binding, node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        original = _last_identifier(node.value)
        for target in node.targets:
            if original and isinstance(target, ast.Name) and target.id != original:
                self.aliases[original].add(target.id)
        self._bind_at = (node.end_lineno, node.end_col_offset)  # type: ignore[assignment]
        for target in node.targets:
            self._bind_target(target, "assign", node.value)
        self._bind_at = None

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)
        if isinstance(node.target, ast.Name):
            binding = self._binding("assign", value=node.value, annotation=node.annotation)
            self._pending[id(node.target)] = binding
        self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        scope = self.scope
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        scope.bindings[node.target.id].append(self._binding("assign", value=node.value))

    def _visit_for(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self._bind_target(node.target, "iterate", node.iter)
        self._visit_block(node.body)
        self._visit_block(node.orelse)

    visit_For = visit_AsyncFor = _visit_for

    def _visit_with(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars, "with", item.context_expr)
        for statement in node.body:
            self.visit(statement)

    visit_With = visit_AsyncWith = _visit_with

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.global_names.update(node.names)

    def visit_Import(self, node: ast.Import) -> None:
        self.imports.append((node, self.scope))
        for alias in node.names:
            if alias.asname:
                self._bind(alias.asname, self._binding("import", imported=alias.name), node)
            else:
                top = alias.name.split(".")[0]
                self._bind(top, self._binding("import", imported=top), node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.imports.append((node, self.scope))
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            if alias.asname:
                self.aliases[alias.name].add(alias.asname)
            if not api.is_mlflow(node.module) or node.level:
                self.foreign_imports.add(alias.asname or alias.name)
            joined = f"{module}.{alias.name}" if not module.endswith(".") else module + alias.name
            self._bind(alias.asname or alias.name, self._binding("import", imported=joined), node)

    # Index ------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        identifier = _last_identifier(node.func)
        if identifier:
            self.calls_by_identifier[identifier].append((node, self.scope))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.attributes[node.attr].append((node, self.scope))
        self.generic_visit(node)

    @property
    def reads_version(self) -> bool:
        return "__version__" in self.attributes

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self.docstrings:
            self.strings.append((node, self.scope))

    def visit_Try(self, node: ast.Try) -> None:
        self._visit_block(node.body)
        for handler in node.handlers:
            if _catches_guard_exception(handler.type):
                self.handler_bodies.append(handler)
            if handler.type is not None:
                self.visit(handler.type)
            if handler.name:
                self._bind(handler.name, self._binding("unknown"), handler)
            self._visit_block(handler.body)
        self._visit_block(node.orelse)
        self._visit_block(node.finalbody)

    visit_TryStar = visit_Try

    def visit_If(self, node: ast.If) -> None:
        # Kept for version guards; evaluated only when the module reads `__version__`.
        self.version_ifs.append((node, self.scope))
        self.visit(node.test)
        self._visit_block(node.body)
        self._visit_block(node.orelse)

    def visit_While(self, node: ast.While) -> None:
        self.visit(node.test)
        self._visit_block(node.body)
        self._visit_block(node.orelse)

    def visit_match_case(self, node: ast.match_case) -> None:
        self.visit(node.pattern)
        if node.guard is not None:
            self.visit(node.guard)
        self._visit_block(node.body)


_DISPATCH = {
    getattr(ast, name.removeprefix("visit_")): method
    for name, method in vars(_Collector).items()
    if name.startswith("visit_") and hasattr(ast, name.removeprefix("visit_"))
}
_DISPATCH.update({cls: lambda self, node: None for cls in (ast.Load, ast.Store, ast.Del)})


def _extent(node: ast.AST) -> tuple[int, int, int, int]:
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


def _holds(node: ast.AST, start: tuple[int, int], end: tuple[int, int]) -> bool:
    node_start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
    return node_start <= start and end <= (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


def _parent_by_position(
    root: ast.AST, node: ast.AST, target: tuple[int, int, int, int], seen: dict[int, ast.AST | None]
) -> ast.AST | None:
    """The parent of `node` under `root`, descending only into children whose extent
    holds the node's (children without a position, like `arguments`, are containers).
    Every child passed on the way is noted in `seen`: walks up from a node then hit it."""
    start, end = target[:2], target[2:]
    stack = [root]
    while stack:
        current = stack.pop()
        for name in current._fields:
            value = getattr(current, name, None)
            for child in value if type(value) is list else (value,):
                if not isinstance(child, ast.AST) or isinstance(child, ast.expr_context):
                    continue
                seen[id(child)] = current
                if child is node:
                    return current
                if not hasattr(child, "end_col_offset") or _holds(child, start, end):
                    stack.append(child)
    return None


def _catches_guard_exception(expr: ast.expr | None) -> bool:
    if expr is None:
        return False
    if isinstance(expr, ast.Tuple):
        return any(_catches_guard_exception(e) for e in expr.elts)
    return _last_identifier(expr) in _GUARD_EXCEPTIONS


class SemanticModel:
    """What a Python module's names refer to, and the types of MLflow values."""

    def __init__(
        self,
        tree: ast.Module,
        resolve_module_name: Callable[[str, str], str | None] | None = None,
        external_return_type: Callable[[str], str | None] | None = None,
    ) -> None:
        """`resolve_module_name(imported, name_in_module)` follows re-exports of local modules;
        `external_return_type(dotted_function)` infers what a project function returns."""
        self.tree = tree
        collector = _Collector(tree)
        collector.visit(tree)
        self._c = collector
        self._resolve_external = resolve_module_name
        self._external_return_type = external_return_type
        self._qualname_cache: dict[int, str | None] = {}
        self._type_cache: dict[int, str | None] = {}
        self._in_progress: set[int] = set()
        self._parents: dict[int, ast.AST | None] = {}
        self._all_parents: dict[int, ast.AST] | None = None
        self.guarded_lines = self._guarded_line_ranges()

    # Index access -------------------------------------------------------------
    def parent_of(self, node: ast.AST) -> ast.AST | None:
        """The node's parent in the tree (None for the module).

        Found by descending from the top-level statement towards the node's position,
        so a query costs the depth of the node, not the size of the module: rules ask
        for the parents of a few nodes, and a parent map of the whole module cost as
        much as the semantic model itself on large files.
        """
        key = id(node)
        if key in self._parents:
            return self._parents[key]
        found: ast.AST | None = None
        if node is self.tree:
            return None
        if key in self._top_level_ids:
            found = self.tree
        elif hasattr(node, "end_col_offset"):
            target = _extent(node)
            for statement in self._statements_on(target[0]):
                found = _parent_by_position(statement, node, target, self._parents)
                if found is not None:
                    break
        if found is None:  # no position, or positions that do not nest (old f-strings)
            found = self._full_parent_map().get(key)
        self._parents[key] = found
        return found

    @cached_property
    def _top_level_ids(self) -> set[int]:
        return {id(statement) for statement in self.tree.body}

    def _statements_on(self, line: int) -> list[ast.stmt]:
        """The top-level statements whose lines (decorators included) hold `line`."""
        starts, statements = self._statement_starts
        found = []
        index = bisect.bisect_right(starts, line) - 1
        while index >= 0 and statements[index].end_lineno >= line:  # type: ignore[operator]
            found.append(statements[index])
            index -= 1
        return found

    @cached_property
    def _statement_starts(self) -> tuple[list[int], list[ast.stmt]]:
        statements = self.tree.body
        starts = [
            min([s.lineno, *(d.lineno for d in getattr(s, "decorator_list", ()))])
            for s in statements
        ]
        return starts, statements

    def _full_parent_map(self) -> dict[int, ast.AST]:
        if self._all_parents is None:
            parents: dict[int, ast.AST] = {}
            stack: list[ast.AST] = [self.tree]
            while stack:
                parent = stack.pop()
                for child in ast.iter_child_nodes(parent):
                    parents[id(child)] = parent
                    stack.append(child)
            self._all_parents = parents
        return self._all_parents

    @property
    def module_scope(self) -> Scope:
        return self._c.module_scope

    @property
    def strings(self) -> list[tuple[ast.Constant, Scope]]:
        return self._c.strings

    @property
    def imports(self) -> list[tuple[ast.Import | ast.ImportFrom, Scope]]:
        return self._c.imports

    def attribute_accesses(self, attr: str) -> list[tuple[ast.Attribute, Scope]]:
        return self._c.attributes.get(attr, [])

    def name_loads(self, name: str) -> list[tuple[ast.Name, Scope]]:
        return self._c.names.get(name, [])

    def calls_to(self, callees: set[str]) -> Iterator[CallSite]:
        """Calls whose callee resolves to one of the canonical names."""
        for identifier in self._identifiers({name.rsplit(".", 1)[-1] for name in callees}):
            for node, scope in self._c.calls_by_identifier.get(identifier, []):
                callee = self.qualname(node.func, scope)
                if callee in callees:
                    yield CallSite(node, scope, callee)

    def calls_matching(self, identifier: str, accept: Callable[[str], bool]) -> Iterator[CallSite]:
        """Calls ending in `identifier` whose resolved callee passes `accept`."""
        for name in self._identifiers({identifier}):
            for node, scope in self._c.calls_by_identifier.get(name, []):
                callee = self.qualname(node.func, scope)
                if callee is not None and accept(callee):
                    yield CallSite(node, scope, callee)

    def _identifiers(self, names: set[str]) -> set[str]:
        """The names, every alias they are called by, and names that may be re-exports."""
        result = set(names) | self._c.foreign_imports
        pending = list(names)
        while pending:
            for alias in self._c.aliases.get(pending.pop(), ()):
                if alias not in result:
                    result.add(alias)
                    pending.append(alias)
        return result

    def is_guarded(self, line: int) -> bool:
        return any(start <= line <= end for start, end in self.guarded_lines)

    # Scopes -----------------------------------------------------------------
    def lookup(self, name: str, scope: Scope) -> list[Binding] | None:
        current: Scope | None = scope
        first = True
        while current is not None:
            if name in current.global_names:
                current = self.module_scope
            if (first or current.kind != "class") and name in current.bindings:
                return current.bindings[name]
            first = False
            current = current.parent
        return None

    def _reaching(self, name: ast.Name, scope: Scope) -> list[Binding]:
        """The bindings that can reach a use, by position and nesting.

        Within one scope, the last binding before the use that is not inside a
        branch the use is outside of hides every earlier one. Uses in nested
        functions, or uses with no binding before them, see all bindings.
        """
        bindings = self.lookup(name.id, scope) or []
        block = self._c.use_blocks.get(id(name))
        if block is None or not bindings or any(b.scope is not scope for b in bindings):
            return bindings
        use = (name.lineno, name.col_offset)
        before = [b for b in bindings if b.position <= use]
        dominating = [b for b in before if block[: len(b.block)] == b.block]
        if not dominating:
            return bindings
        last = max(dominating, key=lambda b: b.position)
        return [b for b in before if b.position >= last.position]

    # Qualified names ----------------------------------------------------------
    def qualname(self, expr: ast.expr, scope: Scope, depth: int = 0) -> str | None:
        """The canonical dotted name an expression refers to, or None when unsure."""
        key = id(expr)
        if key in self._qualname_cache:
            return self._qualname_cache[key]
        if depth > _MAX_DEPTH or key in self._in_progress:
            return None
        self._in_progress.add(key)
        try:
            result = self._qualname(expr, scope, depth)
        finally:
            self._in_progress.discard(key)
        self._qualname_cache[key] = result
        return result

    def _qualname(self, expr: ast.expr, scope: Scope, depth: int) -> str | None:
        if isinstance(expr, ast.Name):
            bindings = self._reaching(expr, scope)
            if not bindings:
                return None
            names = {self._binding_qualname(b, expr.id, depth) for b in bindings}
            return names.pop() if len(names) == 1 else None
        if isinstance(expr, ast.Attribute):
            base = self.qualname(expr.value, scope, depth + 1)
            if base is not None and not base.startswith("<"):
                if not api.is_mlflow(base) and self._resolve_external is not None:
                    return api.canonical(
                        self._resolve_external(base, expr.attr) or f"{base}.{expr.attr}"
                    )
                return api.canonical(f"{base}.{expr.attr}")
            receiver = self.infer(expr.value, scope, depth + 1)
            if receiver is not None and not receiver.endswith("[]"):
                return f"{receiver}.{expr.attr}"
        return None

    def _binding_qualname(self, binding: Binding, name: str, depth: int) -> str | None:
        if binding.kind == "import" and binding.imported:
            return self._imported_name(binding.imported)
        if binding.kind == "assign" and isinstance(binding.value, ast.Name | ast.Attribute):
            return self.qualname(binding.value, binding.scope, depth + 1)
        if binding.kind in ("def", "class"):
            return f"<local {name}>"
        return None

    def _imported_name(self, imported: str) -> str:
        if api.is_mlflow(imported):
            return api.canonical(imported)
        if self._resolve_external is not None:
            module, _, name = imported.rpartition(".")
            resolved = self._resolve_external(module, name) if module else None
            if resolved is not None:
                return api.canonical(resolved)
        return imported

    # Types ------------------------------------------------------------------
    def infer(self, expr: ast.expr, scope: Scope, depth: int = 0) -> str | None:
        """The MLflow class of an expression's value ("X[]" for a sequence of X)."""
        key = id(expr)
        if key in self._type_cache:
            return self._type_cache[key]
        if depth > _MAX_DEPTH or key in self._in_progress:
            return None
        self._in_progress.add(key)
        try:
            result = self._infer(expr, scope, depth)
        finally:
            self._in_progress.discard(key)
        self._type_cache[key] = result
        return result

    def _infer(self, expr: ast.expr, scope: Scope, depth: int) -> str | None:
        if isinstance(expr, ast.Call):
            return self._call_type(expr, scope, depth)
        if isinstance(expr, ast.Attribute):
            owner = self.infer(expr.value, scope, depth + 1)
            return _attribute_type(owner, expr.attr)
        if isinstance(expr, ast.Name):
            bindings = self._reaching(expr, scope)
            if not bindings:
                return None
            types = {self._binding_type(b, depth) for b in bindings}
            return types.pop() if len(types) == 1 else None
        if isinstance(expr, ast.Subscript):
            container = self.infer(expr.value, scope, depth + 1)
            is_index = not isinstance(expr.slice, ast.Slice)
            if container and container.endswith("[]"):
                return container[:-2] if is_index else container
        if isinstance(expr, ast.IfExp):
            both = {
                self.infer(expr.body, scope, depth + 1),
                self.infer(expr.orelse, scope, depth + 1),
            }
            return both.pop() if len(both) == 1 else None
        if isinstance(expr, ast.NamedExpr):
            return self.infer(expr.value, scope, depth + 1)
        return None

    def _call_type(self, call: ast.Call, scope: Scope, depth: int) -> str | None:
        callee = self.qualname(call.func, scope, depth + 1)
        if callee is None:
            return None
        if callee in api.CLASSES:
            return callee
        if callee in api.FACTORY_RETURNS:
            return api.FACTORY_RETURNS[callee]
        for (function, keyword, value), result in api.KEYWORD_FACTORY_RETURNS.items():
            if callee == function and any(
                k.arg == keyword and isinstance(k.value, ast.Constant) and k.value.value == value
                for k in call.keywords
            ):
                return result
        if callee.startswith("<local "):
            return self._local_function_type(call.func, scope, depth)
        if self._external_return_type is not None and not api.is_mlflow(callee):
            return self._external_return_type(callee)
        return None

    def function_return_type(self, name: str) -> str | None:
        """What the module-level function `name` of this module returns (for other modules)."""
        return self._local_function_type(ast.Name(name), self.module_scope, 0)

    def _local_function_type(self, func: ast.expr, scope: Scope, depth: int) -> str | None:
        if not isinstance(func, ast.Name):
            return None
        bindings = self.lookup(func.id, scope) or []
        if len(bindings) != 1 or not isinstance(bindings[0].definition, ast.FunctionDef):
            return None
        definition = bindings[0].definition
        if definition.returns is not None:
            return self.annotation_type(definition.returns, bindings[0].scope, depth + 1)
        body_scope = self._c.function_scopes.get(definition)
        returns = [r.value for r in _returns(definition) if r.value is not None]
        if body_scope is None or not returns:
            return None
        types = {self.infer(value, body_scope, depth + 1) for value in returns}
        return types.pop() if len(types) == 1 else None

    def _binding_type(self, binding: Binding, depth: int) -> str | None:
        if binding.annotation is not None:
            annotated = self.annotation_type(binding.annotation, binding.scope, depth + 1)
            if annotated is not None:
                return annotated
        if binding.value is None:
            return None
        value_type = self.infer(binding.value, binding.scope, depth + 1)
        if binding.kind == "iterate":
            return value_type[:-2] if value_type and value_type.endswith("[]") else None
        if binding.kind in ("assign", "with"):
            return value_type
        return None

    def annotation_type(self, annotation: ast.expr, scope: Scope, depth: int = 0) -> str | None:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                parsed = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
            return self._annotation_expr_type(parsed, scope, depth)
        return self._annotation_expr_type(annotation, scope, depth)

    def _annotation_expr_type(self, expr: ast.expr, scope: Scope, depth: int) -> str | None:
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            options = [
                self._annotation_expr_type(side, scope, depth) for side in (expr.left, expr.right)
            ]
            known = [o for o in options if o is not None]
            none_side = any(_is_none(side) for side in (expr.left, expr.right))
            return known[0] if len(known) == 1 and none_side else None
        if isinstance(expr, ast.Subscript):
            outer = self.qualname(expr.value, scope, depth + 1) or _last_identifier(expr.value)
            inner = self._annotation_expr_type(expr.slice, scope, depth)
            if inner is None or outer is None:
                return None
            short = outer.rsplit(".", 1)[-1]
            if short == "Optional":
                return inner
            if short in {"list", "List", "Sequence", "Iterable", "Iterator", "tuple", "PagedList"}:
                return inner + "[]"
            return None
        name = self.qualname(expr, scope, depth + 1)
        return name if name in api.CLASSES else None

    # Guards -----------------------------------------------------------------
    def _guarded_line_ranges(self) -> list[tuple[int, int]]:
        ranges = []
        for handler in self._c.handler_bodies:
            ranges.append((handler.body[0].lineno, handler.body[-1].end_lineno or handler.lineno))
        for node, scope in self._c.version_ifs if self._c.reads_version else []:
            for body in guarded_branches(
                node, lambda e, s=scope: self.qualname(e, s), self._value_of(scope)
            ):
                if body:
                    ranges.append((body[0].lineno, body[-1].end_lineno or body[0].lineno))
        return ranges

    def _value_of(self, scope: Scope) -> Callable[[str], ast.expr | None]:
        def value(name: str) -> ast.expr | None:
            bindings = self.lookup(name, scope) or []
            if len(bindings) == 1 and bindings[0].kind == "assign":
                return bindings[0].value
            return None

        return value


def _attribute_type(owner: str | None, attr: str) -> str | None:
    while owner is not None:
        if (owner, attr) in api.ATTRIBUTE_TYPES:
            return api.ATTRIBUTE_TYPES[(owner, attr)]
        owner = api.BASES.get(owner)
    return None


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _returns(function: ast.FunctionDef) -> Iterator[ast.Return]:
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            yield node
        elif not isinstance(node, (*_FUNCTION_NODES, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
