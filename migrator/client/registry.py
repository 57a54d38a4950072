"""The registry part of a client copy: registered models and their versions (numbers kept, stages, aliases),
and prompts with their versions and aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..errors import MigratorError
from ..mlflow_api import is_not_found, model_versions, paged, search_all
from .context import (
    PLACEHOLDER_SOURCE,
    PROMPT_EXPERIMENTS_TAG,
    TAG_MODEL_VERSION,
    TAG_REGISTERED_MODEL,
    TAG_SOURCE,
    CopyContext,
    describe,
    own_tags,
)


class RegistryCopier:
    def __init__(self, ctx: CopyContext) -> None:
        self.ctx = ctx

    def registered_models(self) -> None:
        try:
            pages = paged(self.ctx.src.search_registered_models, max_results=1000)
            models = [m for page in pages for m in page]
        except Exception as ex:
            if "not found" in str(ex).lower() or "404" in str(ex):
                self.ctx.notes.append("the source has no model registry")
                return
            raise
        if models:
            self.ctx.progress.phase(f"registered models ({len(models)})")
        for rm in models:
            self.ctx.count("registered_models", "source")
            try:
                self._registered_model(rm)
            except Exception as ex:
                self.ctx.fail("registered_models", rm.name, describe(ex))

    def _reusable(self, kind: str, what: str, existing: Any) -> bool:
        """A registry entry of the same name in the target: one this copy made earlier, or --merge."""
        name = existing.name
        ours = existing.tags.get(TAG_REGISTERED_MODEL) == name and existing.tags.get(TAG_SOURCE) == self.ctx.source.label
        if not (ours or self.ctx.merge):
            self.ctx.fail(kind, name, f"a {what} of that name already exists in the target; pass --merge to add the "
                                  "versions to it")
            return False
        self.ctx.count(kind, "already_there")
        return True

    def _registered_model(self, rm: Any) -> None:
        name = rm.name
        existing = None
        try:
            existing = self.ctx.dst.get_registered_model(name)
        except Exception as ex:
            if not is_not_found(ex):
                raise
        if existing is not None:
            if not self._reusable("registered_models", "registered model", existing):
                return
            if rm.description and existing.description != rm.description:
                self.ctx.dst.update_registered_model(name, rm.description)
            for k, v in own_tags(rm.tags).items():
                if existing.tags.get(k) != v:
                    self.ctx.dst.set_registered_model_tag(name, k, v)
        else:
            tags = own_tags(rm.tags)
            tags.update({TAG_REGISTERED_MODEL: name, TAG_SOURCE: self.ctx.source.label})
            self.ctx.dst.create_registered_model(name, tags=tags, description=rm.description)
            self.ctx.count("registered_models", "copied")
        dst = self.ctx.dst
        self._copy_versions(
            _Versions("model_versions", "registered_models", record=True,
                      create=lambda v: self._model_version(name, v),
                      placeholder=lambda: _placeholder(dst.create_model_version(name, PLACEHOLDER_SOURCE,
                                                                                 await_creation_for=0),
                                                       lambda n: dst.delete_model_version(name, n)),
                      set_alias=lambda alias, n: dst.set_registered_model_alias(name, alias, n)),
            name, model_versions(self.ctx.src, name), model_versions(dst, name), existing is None,
            dict(rm.aliases or {}))

    def _copy_versions(self, kind: _Versions, name: str, versions: list[Any], target_versions: list[Any],
                       fill_gaps: bool, aliases: dict[str, Any]) -> None:
        """Versions in version order; those copied earlier (tagged with their source number) are found again.
        `fill_gaps`: the parent was created by this copy, so the numbers are kept, deleted versions of the
        source becoming deleted placeholders. Then the aliases, mapped to the new numbers."""
        have: dict[str, str] = {}  # source version -> target version, of versions copied earlier
        last = 0
        for v in target_versions:
            last = max(last, int(v.version))
            if TAG_MODEL_VERSION in v.tags:
                have[v.tags[TAG_MODEL_VERSION]] = str(v.version)
        version_map: dict[str, str] = {}
        for v in sorted(versions, key=lambda v: int(v.version)):
            self.ctx.count(kind.kind, "source")
            key = f"{name}/{v.version}"
            got = have.get(str(v.version))
            if got is not None:
                self.ctx.count(kind.kind, "already_there")
            else:
                try:
                    while fill_gaps and last + 1 < int(v.version):
                        last = kind.placeholder()
                    got = str(kind.create(v).version)
                except Exception as ex:
                    self.ctx.fail(kind.kind, key, describe(ex))
                    continue
                self.ctx.count(kind.kind, "copied")
            last = max(last, int(got))
            version_map[str(v.version)] = got
            if kind.record:
                self.ctx.map.put(kind.kind, key, f"{name}/{got}")
        for alias, version in aliases.items():
            mapped = version_map.get(str(version))
            if mapped is None:
                self.ctx.fail(kind.parent, name, f"alias {alias!r} points at version {version}, not copied")
                continue
            kind.set_alias(alias, mapped)

    def _model_version(self, name: str, v: Any) -> Any:
        import warnings

        run_new = self.ctx.map.get("runs", v.run_id) if v.run_id else None
        if v.run_id and run_new is None:
            raise MigratorError(f"its run {v.run_id} was not copied")
        model_new = None
        model_id = getattr(v, "model_id", None)
        src = v.source or ""
        if not model_id and src.startswith("models:/m-"):
            model_id = src[len("models:/"):].split("/", 1)[0]
        if model_id:
            model_new = self.ctx.map.get("logged_models", model_id)
            if model_new is None:
                raise MigratorError(f"its logged model {model_id} was not copied")
        tags = own_tags(v.tags)
        tags[TAG_MODEL_VERSION] = str(v.version)
        kwargs: dict[str, Any] = {"model_id": model_new} if model_new else {}
        mv = self.ctx.dst.create_model_version(name, self._version_source(v, run_new, model_id, model_new),
                                           run_id=run_new, tags=tags, run_link=v.run_link,
                                           description=v.description, await_creation_for=0, **kwargs)
        stage = v.current_stage
        if stage and stage.lower() not in ("none", ""):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.ctx.dst.transition_model_version_stage(name, mv.version, stage, archive_existing_versions=False)
        return mv

    def _version_source(self, v: Any, run_new: str | None, model_old: str | None, model_new: str | None) -> str:
        src = v.source or ""
        if v.run_id and run_new and src.startswith(f"runs:/{v.run_id}"):
            return f"runs:/{run_new}" + src[len(f"runs:/{v.run_id}"):]
        if model_old and model_new and src.startswith(f"models:/{model_old}"):
            return f"models:/{model_new}" + src[len(f"models:/{model_old}"):]
        src = self.ctx.rewrite(src) or src
        if run_new and (self.ctx.copy_artifacts or not self.ctx.target.is_sql):
            # the new run's artifacts live under a new location: follow them there
            old_uri = self.ctx.rewrite(self.ctx.src.get_run(v.run_id).info.artifact_uri)
            if old_uri and src.startswith(old_uri):
                return self.ctx.dst.get_run(run_new).info.artifact_uri + src[len(old_uri):]
        return src

    def prompts(self) -> None:
        """Prompts live in the registry as registered models that search_registered_models hides."""
        try:
            prompts = [p for page in paged(self.ctx.src.search_prompts, max_results=1000) for p in page]
        except Exception as ex:
            if is_not_found(ex) or "not supported" in str(ex).lower() or "404" in str(ex):
                self.ctx.notes.append("the source has no prompt registry")
            else:
                self.ctx.fail("prompts", "(all)", f"could not list the source's prompts: {describe(ex)}")
            return
        if not prompts:
            return
        aliases: dict[str, dict[str, Any]] = {}
        for page in paged(self.ctx.src.search_registered_models, max_results=1000,
                          filter_string="tags.`mlflow.prompt.is_prompt` = 'true'"):
            aliases.update({m.name: dict(m.aliases or {}) for m in page})
        self.ctx.progress.phase(f"prompts ({len(prompts)})")
        for p in prompts:
            self.ctx.count("prompts", "source")
            try:
                self._prompt(p, aliases.get(p.name, {}))
            except Exception as ex:
                self.ctx.fail("prompts", p.name, describe(ex))

    def _prompt_tags(self, tags: dict[str, str]) -> dict[str, str]:
        out = own_tags(tags)
        if PROMPT_EXPERIMENTS_TAG in out:  # experiments the prompt is linked to: their ids change
            ids = [self.ctx.map.get("experiments", i) for i in out[PROMPT_EXPERIMENTS_TAG].split(",") if i]
            out[PROMPT_EXPERIMENTS_TAG] = "," + "".join(f"{i}," for i in ids if i is not None)
        return out

    def _prompt(self, p: Any, aliases: dict[str, Any]) -> None:
        name = p.name
        existing = self.ctx.dst.get_prompt(name)
        if existing is not None:
            if not self._reusable("prompts", "prompt", existing):
                return
        else:
            tags = self._prompt_tags(p.tags)
            tags.update({TAG_REGISTERED_MODEL: name, TAG_SOURCE: self.ctx.source.label})
            self.ctx.dst.create_prompt(name, description=p.description, tags=tags)
            self.ctx.count("prompts", "copied")
        dst = self.ctx.dst
        self._copy_versions(
            _Versions("prompt_versions", "prompts", record=False,
                      create=lambda v: self._prompt_version(name, v),
                      placeholder=lambda: _placeholder(dst.create_prompt_version(name, "(deleted version)"),
                                                       lambda n: dst.delete_prompt_version(name, n)),
                      set_alias=lambda alias, n: dst.set_prompt_alias(name, alias, int(n))),
            name, search_all(self.ctx.src.search_prompt_versions, name=name, max_results=1000),
            search_all(dst.search_prompt_versions, name=name, max_results=1000), existing is None, aliases)

    def _prompt_version(self, name: str, v: Any) -> Any:
        tags = {k: val for k, val in own_tags(v.tags).items() if not k.startswith(("mlflow.prompt.", "_mlflow_prompt"))}
        tags[TAG_MODEL_VERSION] = str(v.version)
        return self.ctx.dst.create_prompt_version(name, v.template, description=v.commit_message, tags=tags,
                                                  response_format=v.response_format, model_config=v.model_config)


@dataclass
class _Versions:
    """How one kind of version is copied (registered-model versions, prompt versions)."""

    kind: str
    parent: str
    record: bool  # kept in the id map
    create: Callable[[Any], Any]
    placeholder: Callable[[], int]  # creates and deletes a placeholder version; its number
    set_alias: Callable[[str, str], None]


def _placeholder(version: Any, delete: Callable[[str], None]) -> int:
    delete(str(version.version))
    return int(version.version)
