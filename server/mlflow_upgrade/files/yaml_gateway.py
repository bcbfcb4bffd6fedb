"""YAML with positions, and the MLflow AI Gateway configuration schema.

ruamel.yaml's round-trip loader records the line and column of every key and sequence
item; rules use those to report the exact key and to edit the text in place, so the
file's comments, quoting and layout stay as they were.

Gateway schema (MLflow 2.x, `mlflow.gateway.config.GatewayConfig`): a top-level list of
endpoint items, each with a `name`, an `endpoint_type` (2.x also `route_type`) and a
`model` mapping naming a `provider`. The list was called `endpoints`, or `routes` in the
legacy spelling. MLflow 3.8 reused `routes:` for traffic-split routes, whose items have
`destinations` instead of a `model`: those are a different thing and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlflow_upgrade.engine.document import LineIndex
from mlflow_upgrade.engine.findings import Position

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq


def load_yaml(text: str) -> Any | None:
    """The round-trip tree of a YAML text, or None when it does not parse."""
    # ruamel loads on the first YAML file: most runs and editor sessions never need it.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True
    try:
        return yaml.load(text)
    except (YAMLError, ValueError, TypeError, RecursionError):
        return None


def key_span(text: str, index: LineIndex, mapping: CommentedMap, key: str) -> tuple[int, int]:
    """Offsets of a mapping key's own characters (inside its quotes, when quoted)."""
    line, column = mapping.lc.key(key)
    start = index.offset(Position(line, column))
    if text[start : start + 1] in {'"', "'"}:
        start += 1
    return start, start + len(key)


def scalar_span(text: str, index: LineIndex, seq: CommentedSeq, item: int) -> tuple[int, int, str]:
    """Offsets of a sequence item's scalar text (inside quotes) and the quote used."""
    line, column = seq.lc.item(item)
    start = index.offset(Position(line, column))
    quote = text[start : start + 1]
    if quote in {'"', "'"}:
        end = start + 1
        while end < len(text):
            char = text[end]
            if quote == '"' and char == "\\":
                end += 2
                continue
            if char == quote:
                if quote == "'" and text[end + 1 : end + 2] == "'":
                    end += 2
                    continue
                break
            end += 1
        return start + 1, end, quote
    end = start
    flow = seq.fa.flow_style()
    while end < len(text) and text[end] not in "\r\n":
        char = text[end]
        if char == "#" and text[end - 1] in " \t":
            break
        if flow and char in ",]":
            break
        end += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end, ""


# The gateway schema -------------------------------------------------------------------


def is_endpoint_item(item: Any) -> bool:
    """A 2.x gateway endpoint item: a `model` mapping with a provider, and an endpoint type."""
    if not isinstance(item, dict):
        return False
    model = item.get("model")
    has_type = "route_type" in item or "endpoint_type" in item
    return has_type and isinstance(model, dict) and "provider" in model


def is_traffic_route(item: Any) -> bool:
    """A 3.8+ traffic-split route (its items name `destinations`)."""
    return isinstance(item, dict) and "destinations" in item


def is_gateway_config(text: str) -> bool:
    """Whether a YAML text is an MLflow AI Gateway configuration (either schema)."""
    root = load_yaml(text)
    return isinstance(root, dict) and any(
        isinstance(root.get(key), list) and any(is_endpoint_item(i) for i in root[key])
        for key in ("endpoints", "routes")
    )


@dataclass
class RouteTypeKey:
    start: int
    end: int
    has_endpoint_type: bool  # the same item also has `endpoint_type`


@dataclass
class GatewayFile:
    """What the MLF501/MLF502 rules need to know about a gateway configuration."""

    routes_key: tuple[int, int] | None = None  # a legacy top-level `routes:` key
    has_endpoints_key: bool = False
    legacy_items: int = 0
    route_type_keys: list[RouteTypeKey] = field(default_factory=list)


def analyse_gateway(text: str, index: LineIndex) -> GatewayFile | None:
    """The legacy spellings in a gateway configuration, or None if it is not one."""
    root = load_yaml(text)
    if not isinstance(root, dict):
        return None
    result = GatewayFile(has_endpoints_key="endpoints" in root)
    routes = root.get("routes")
    legacy_routes = (
        isinstance(routes, list)
        and any(is_endpoint_item(item) for item in routes)
        and not any(is_traffic_route(item) for item in routes)
    )
    endpoints = root.get("endpoints")
    if not (
        legacy_routes or (isinstance(endpoints, list) and any(map(is_endpoint_item, endpoints)))
    ):
        return None
    if legacy_routes:
        result.routes_key = key_span(text, index, root, "routes")
        result.legacy_items = sum(1 for item in routes if is_endpoint_item(item))
    lists = [endpoints] + ([routes] if legacy_routes else [])
    for items in lists:
        for item in _endpoint_items(items):
            if "route_type" in item:
                start, end = key_span(text, index, item, "route_type")
                result.route_type_keys.append(
                    RouteTypeKey(start, end, has_endpoint_type="endpoint_type" in item)
                )
    return result


def _endpoint_items(items: Any) -> Iterator[CommentedMap]:
    if not isinstance(items, list):
        return
    for item in items:
        if isinstance(item, dict) and not is_traffic_route(item):
            yield item
