"""Every named URL pattern of the project, read from the URL configuration itself."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # the full route, for messages
    params: tuple[str, ...]  # the keyword arguments reverse() needs
    callback: object


def walk(patterns=None, namespace="", prefix="") -> list[Route]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    out = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            out += walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            # An unnamed pattern (the admin's redirects of old change URLs) goes by its route.
            name = entry.name or f"<unnamed {route}>"
            full = f"{namespace}:{name}" if namespace else name
            out.append(Route(full, route, _params(entry, prefix), entry.callback))
    return out


def _params(entry: URLPattern, prefix: str) -> tuple[str, ...]:
    from django.urls import resolvers

    names = list(entry.pattern.converters) if hasattr(entry.pattern, "converters") else []
    if not names and isinstance(entry.pattern, resolvers.RegexPattern):
        names = list(entry.pattern.regex.groupindex)
    return tuple(names)
