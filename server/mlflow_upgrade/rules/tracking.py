"""MLF2xx: tracking, tags and autologging."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from mlflow_upgrade.engine.findings import Applicability, Finding, Fix, Kind, TextEdit
from mlflow_upgrade.engine.rule import Rule, RuleDocs, register
from mlflow_upgrade.python import mlflow_api as api
from mlflow_upgrade.python.context import PythonContext
from mlflow_upgrade.python.edits import (
    CallChange,
    edit_call,
    keyword_for_positional,
    rename_attribute,
)
from mlflow_upgrade.python.semantic import CallSite
from mlflow_upgrade.rules._helpers import keyword_rename_fix
from mlflow_upgrade.rules._rewrites import (
    IMPORT_ERRORS,
    import_sites,
    occurrences,
    rename_alias,
    rename_name_uses,
    uses_mlflow,
)


@register
class RunUuidRemoved(Rule):
    code = "MLF201"
    name = "run-uuid-removed"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "TR-01"
    summary = "`.run_uuid` on a `RunInfo`, and `RunInfo(run_uuid=...)` (use `run_id`)"
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0.0 removed `RunInfo.run_uuid`, the old name of `RunInfo.run_id`: reading "
            "it raises `AttributeError: 'RunInfo' object has no attribute 'run_uuid'`. The "
            "`RunInfo` constructor lost its `run_uuid` parameter too (`TypeError`); its first "
            "parameter is now the required `run_id`. MLflow 2 only deprecated `run_uuid` in the "
            "docstring, so old code never saw a warning."
        ),
        why=(
            "Every script that reads `run.info.run_uuid` (after `start_run()`, `get_run()`, "
            '`active_run()`, or in a loop over `search_runs(output_format="list")`) stops with '
            "an `AttributeError` on MLflow 3. Only attributes whose receiver is known to be a "
            "`RunInfo` are reported; a class of your own with a `run_uuid` attribute is not."
        ),
        example=(
            "with mlflow.start_run() as run:\n"
            "    print(run.info.run_uuid)\n"
            'for found in mlflow.search_runs(output_format="list"):\n'
            "    ids.append(found.info.run_uuid)"
        ),
        use_instead=(
            "with mlflow.start_run() as run:\n"
            "    print(run.info.run_id)\n"
            'for found in mlflow.search_runs(output_format="list"):\n'
            "    ids.append(found.info.run_id)"
        ),
        fix_safety=(
            "Safe: `run_id` has always held the same value. The attribute fix also runs on "
            "MLflow 2.22, which has `run_id`. The constructor fix (`RunInfo(run_uuid=...)` → "
            "`RunInfo(run_id=...)`) needs MLflow 3: in 2.22 `run_uuid` is still a required "
            "parameter. When both `run_uuid=` and `run_id=` are passed the finding is "
            'display-only (remove `run_uuid=`). Dictionaries keyed by `"run_uuid"` (for '
            "`RunInfo.from_dictionary` or REST payloads) are not rewritten."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for node, scope in ctx.model.attribute_accesses("run_uuid"):
            if ctx.receiver_type(node, scope) != api.RUN_INFO:
                continue
            end = ctx.end(node)
            yield ctx.report_span(
                self,
                end - len("run_uuid"),
                end,
                "`RunInfo.run_uuid` was removed in MLflow 3.0.0; use `run_id`",
                Fix(
                    Applicability.SAFE,
                    "Replace `run_uuid` with `run_id`",
                    lambda n=node: [rename_attribute(ctx, n, "run_id")],
                    works_on_2x=True,
                ),
            )
        for call in ctx.calls_to(api.RUN_INFO):
            keyword = call.keyword("run_uuid")
            if keyword is None:
                continue
            yield ctx.report(
                self,
                keyword,
                "`RunInfo(run_uuid=...)` was removed in MLflow 3.0.0; pass `run_id=`",
                keyword_rename_fix(ctx, call, "run_uuid", "run_id"),
            )


_LEGACY_TAGS = {
    "mlflow.gitBranchName": "mlflow.source.git.branch",
    "mlflow.gitRepoURL": "mlflow.source.git.repoURL",
}
_TAGS_MODULE = "mlflow.utils.mlflow_tags"
_LEGACY_CONSTANTS = {
    "LEGACY_MLFLOW_GIT_BRANCH_NAME": "MLFLOW_GIT_BRANCH",
    "LEGACY_MLFLOW_GIT_REPO_URL": "MLFLOW_GIT_REPO_URL",
}


@register
class LegacyGitTags(Rule):
    code = "MLF202"
    name = "legacy-git-tags"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "TR-02"
    summary = (
        "the run tags `mlflow.gitBranchName` / `mlflow.gitRepoURL` and their `LEGACY_*` "
        "constants (use `mlflow.source.git.branch` / `mlflow.source.git.repoURL`)"
    )
    fix = (Applicability.SAFE,)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "Since MLflow 3.0.0, MLflow Projects no longer write the legacy git run tags "
            "`mlflow.gitBranchName` and `mlflow.gitRepoURL`, and their constants "
            "`LEGACY_MLFLOW_GIT_BRANCH_NAME` and `LEGACY_MLFLOW_GIT_REPO_URL` are gone from "
            "`mlflow.utils.mlflow_tags` (importing them raises `ImportError`). The tags that "
            "replace them, `mlflow.source.git.branch` (`MLFLOW_GIT_BRANCH`) and "
            "`mlflow.source.git.repoURL` (`MLFLOW_GIT_REPO_URL`), were already written by "
            "MLflow 2 next to the old ones."
        ),
        why=(
            "Reading the old tags from runs made by MLflow 3 finds nothing, search filters on "
            "them (`tags.\"mlflow.gitBranchName\" = 'main'`) silently match no run, and the "
            "constants no longer import. The strings are reported anywhere in a module that "
            "imports MLflow (tag dictionaries, `filter_string`s, f-strings), but not in "
            "docstrings."
        ),
        example=(
            "from mlflow.utils.mlflow_tags import LEGACY_MLFLOW_GIT_BRANCH_NAME\n\n"
            'mlflow.set_tags({LEGACY_MLFLOW_GIT_BRANCH_NAME: branch, "mlflow.gitRepoURL": url})\n'
            "mlflow.search_runs(filter_string=\"tags.`mlflow.gitBranchName` = 'main'\")"
        ),
        use_instead=(
            "from mlflow.utils.mlflow_tags import MLFLOW_GIT_BRANCH\n\n"
            'mlflow.set_tags({MLFLOW_GIT_BRANCH: branch, "mlflow.source.git.repoURL": url})\n'
            "mlflow.search_runs(filter_string=\"tags.`mlflow.source.git.branch` = 'main'\")"
        ),
        fix_safety=(
            "Safe, and the result also runs on MLflow 2.22. MLflow 2 Projects wrote the old and "
            "the new tag with the same value, so runs they created can be found by the new name. "
            "Runs that your own code tagged with only the old name keep that tag: searches by "
            "the new name will not find them until they are re-tagged. Renaming an imported "
            "constant renames its uses in the module too (an `as` name is kept)."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        if any(tag in ctx.text for tag in _LEGACY_TAGS) and uses_mlflow(ctx):
            yield from self._strings(ctx)
        if "LEGACY_MLFLOW_GIT_" in ctx.text:
            yield from self._constants(ctx)

    def _strings(self, ctx: PythonContext) -> Iterator[Finding]:
        seen: set[int] = set()
        for node, _ in ctx.model.strings:
            for old, new in _LEGACY_TAGS.items():
                if old not in node.value:
                    continue
                for start in occurrences(ctx, node, old):
                    if start in seen:
                        continue
                    seen.add(start)
                    end = start + len(old)
                    yield ctx.report_span(
                        self,
                        start,
                        end,
                        f"the run tag `{old}` is no longer written since MLflow 3.0.0; use `{new}`",
                        Fix(
                            Applicability.SAFE,
                            f"Replace with `{new}`",
                            lambda s=start, e=end, n=new: [TextEdit(s, e, n)],
                            works_on_2x=True,
                        ),
                    )

    def _constants(self, ctx: PythonContext) -> Iterator[Finding]:
        qualnames = {f"{_TAGS_MODULE}.{old}": new for old, new in _LEGACY_CONSTANTS.items()}
        guard = IMPORT_ERRORS | {"AttributeError"}
        for site in import_sites(ctx, lambda name: name in qualnames, guard):
            if not isinstance(site.node, ast.alias):
                continue
            alias = site.node
            new = qualnames[site.qualname]
            yield ctx.report(
                self,
                alias,
                f"`{alias.name}` was removed from `{_TAGS_MODULE}` in MLflow 3.0.0; import `{new}`",
                Fix(
                    Applicability.SAFE,
                    f"Import `{new}` instead" + ("" if alias.asname else " and rename its uses"),
                    lambda a=alias, n=new, q=site.qualname: _rename_import(ctx, a, n, q),
                    works_on_2x=True,
                ),
            )
        for old, new in _LEGACY_CONSTANTS.items():
            for node, scope in ctx.model.attribute_accesses(old):
                if ctx.qualname(node, scope) != f"{_TAGS_MODULE}.{old}":
                    continue
                end = ctx.end(node)
                yield ctx.report_span(
                    self,
                    end - len(old),
                    end,
                    f"`{old}` was removed from `{_TAGS_MODULE}` in MLflow 3.0.0; use `{new}`",
                    Fix(
                        Applicability.SAFE,
                        f"Replace with `{new}`",
                        lambda n=node, new=new: [rename_attribute(ctx, n, new)],
                        works_on_2x=True,
                    ),
                )


def _rename_import(ctx: PythonContext, alias: ast.alias, new: str, qualname: str) -> list[TextEdit]:
    """Import the new constant under its own name, renaming the uses of the old local name."""
    edit = rename_alias(ctx, alias, new)
    if edit is None:
        return []
    if alias.asname:
        return [edit]
    return [edit, *rename_name_uses(ctx, alias.name, qualname, new)]


_TF_AUTOLOG = "mlflow.tensorflow.autolog"
_STEP_PARAMETERS = {"log_every_epoch", "log_every_n_steps"}


@register
class TensorflowEveryNIter(Rule):
    code = "MLF203"
    name = "tensorflow-every-n-iter"
    tier = 1
    kind = Kind.REMOVED
    since = "3.0.0"
    catalogue = "TR-04"
    summary = (
        "`every_n_iter=` on `mlflow.tensorflow.autolog`, and any positional argument to it "
        "(position 0 now means `log_models`)"
    )
    fix = (Applicability.SAFE, Applicability.UNSAFE)
    works_on_2x = True
    docs = RuleDocs(
        what_changed=(
            "MLflow 3.0.0 removed the `every_n_iter` parameter of `mlflow.tensorflow.autolog` "
            "(a `TypeError` now). In MLflow 2 it was the first parameter, so positions moved: "
            "`mlflow.tensorflow.autolog(5)` used to mean `every_n_iter=5` and now means "
            '`log_models=5`, silently. MLflow 2 already logged "The `every_n_iter` parameter '
            'is deprecated, please use `log_every_epoch` and `log_every_n_steps` instead."'
        ),
        why=(
            "A keyword call fails on MLflow 3; a positional call keeps running with every "
            "argument bound to the wrong parameter."
        ),
        example=(
            "mlflow.tensorflow.autolog(every_n_iter=10, log_models=False)\n"
            "mlflow.tensorflow.autolog(5, False)"
        ),
        use_instead=(
            "mlflow.tensorflow.autolog(log_models=False, log_every_epoch=False, "
            "log_every_n_steps=10)\n"
            "mlflow.tensorflow.autolog(log_models=False, log_every_epoch=False, "
            "log_every_n_steps=5)"
        ),
        fix_safety=(
            "Safe when `every_n_iter` is a number: MLflow 2.22 turned any value other than 1 "
            "into `log_every_epoch=False, log_every_n_steps=N` (overriding both if they were "
            "passed), and ignored 1, so the fix writes exactly that and drops `every_n_iter=1`. "
            "Positional arguments become keywords named by MLflow 2.22's signature. When "
            "`every_n_iter` is not a literal number the fix is unsafe: if the value is 1 at run "
            "time, MLflow 2 logged per epoch and the fixed call logs every step. The result runs "
            "on MLflow 2.22 as well."
        ),
    )

    def check(self, ctx: PythonContext) -> Iterator[Finding]:
        for call in ctx.calls_to(_TF_AUTOLOG):
            keyword = call.keyword("every_n_iter")
            if keyword is not None:
                yield ctx.report(
                    self,
                    keyword,
                    "`every_n_iter` of `mlflow.tensorflow.autolog` was removed in MLflow 3.0.0; "
                    "pass `log_every_epoch=False, log_every_n_steps=N`",
                    self._fix(ctx, call),
                )
            if call.positional:
                yield ctx.report(
                    self,
                    call.positional[0],
                    "positional arguments of `mlflow.tensorflow.autolog` shifted in MLflow "
                    "3.0.0 (position 0 is now `log_models`, not `every_n_iter`); "
                    "pass them by keyword",
                    self._fix(ctx, call),
                )

    def _fix(self, ctx: PythonContext, call: CallSite) -> Fix:
        params = api.positional_parameters(_TF_AUTOLOG) or []
        mapping = keyword_for_positional(call.node, params, 0) if call.positional else {}
        given = {k.arg for k in call.node.keywords}
        if mapping is None or None in given or given & set(mapping.values()):
            return Fix(Applicability.DISPLAY_ONLY, "Pass every argument by keyword")
        keyword = call.keyword("every_n_iter")
        value = keyword.value if keyword is not None else call.positional[0]
        change = CallChange(positional_to_keyword=mapping, remove={"every_n_iter"})
        literal = isinstance(value, ast.Constant) and type(value.value) is int
        if literal and value.value == 1:
            return Fix(
                Applicability.SAFE,
                "Remove `every_n_iter=1`" + (" and pass arguments by keyword" if mapping else ""),
                lambda: [edit_call(ctx, call.node, change)],
                works_on_2x=True,
            )
        if not literal and given & _STEP_PARAMETERS:
            return Fix(
                Applicability.DISPLAY_ONLY,
                "Replace `every_n_iter` with `log_every_epoch=False, log_every_n_steps=N`",
            )
        source = ctx.source(value)
        change.remove |= _STEP_PARAMETERS
        change.add = {
            "log_every_epoch": "False",
            "log_every_n_steps": f"({source})" if "\n" in source else source,
        }
        return Fix(
            Applicability.SAFE if literal else Applicability.UNSAFE,
            "Replace `every_n_iter` with `log_every_epoch=False, log_every_n_steps=...`"
            + (" and pass arguments by keyword" if mapping else ""),
            lambda: [edit_call(ctx, call.node, change)],
            works_on_2x=True,
        )
