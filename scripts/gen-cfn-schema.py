#!/usr/bin/env python3
"""Generate data/cfn-schema.txt, the compact CloudFormation resource schemas buttress embeds.

Reads the resource provider schemas that the cfn-lint package (PyPI) bundles
(cfnlint/data/schemas: providers/<region>.py maps each type to resources/<hash>.json) and
writes one line per resource type:

    TYPE <TAB> PROPERTIES <TAB> DEFINITIONS

PROPERTIES and DEFINITIONS are compact JSON. A schema node is written as:

    "s" "i" "n" "b"   string, integer, number, boolean
    "o"               an object of any shape        "j"  anything
    "s|o"             one of several primitive types
    "#Name"           the type's definition Name (in DEFINITIONS)
    [node]            a list of node
    {"Key": node, …}  an object with these properties; "*": node for any other key
                      (patternProperties / additionalProperties), "=": [values] for an
                      enumeration (its values are strings unless written otherwise)

Read-only properties (attributes such as Arn) are left out: a template never sets them.
Types come from us-east-1, then any other region's types not found there. The first line
records the cfn-lint version. Usage: pip install cfn-lint && scripts/gen-cfn-schema.py
"""

import importlib.util
import json
import pathlib
import sys

import cfnlint
from importlib.metadata import version

ROOT = pathlib.Path(cfnlint.__file__).parent / "data" / "schemas"
OUT = pathlib.Path(__file__).resolve().parent.parent / "data" / "cfn-schema.txt"
PRIMITIVE = {"string": "s", "integer": "i", "number": "n", "boolean": "b", "object": "o", "array": "a"}


def region_types(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.types


def all_types():
    providers = ROOT / "providers"
    first = providers / "us_east_1.py"
    types = dict(region_types(first))
    for path in sorted(providers.glob("*.py")):
        if path.name in ("__init__.py", first.name):
            continue
        for name, digest in region_types(path).items():
            types.setdefault(name, digest)
    return types


def pointer(schema, ref):
    node = schema
    for part in ref.lstrip("#/").split("/"):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node


class Compactor:
    def __init__(self, schema):
        self.schema = schema
        self.defs = schema.get("definitions", {})
        self.used = {}

    def ref(self, ref, depth):
        if ref.startswith("#/definitions/") and ref.count("/") == 2:
            name = ref.split("/")[-1]
            if name not in self.used and name in self.defs:
                self.used[name] = None  # placeholder: recursion stops here
                self.used[name] = self.node(self.defs[name], depth + 1)
            return "#" + name if name in self.defs else "j"
        return self.node(pointer(self.schema, ref), depth + 1)

    def alternatives(self, node):
        alts = []
        for key in ("oneOf", "anyOf", "allOf"):
            alts.extend(a for a in node.get(key, []) if isinstance(a, dict))
        return alts

    def node(self, node, depth=0):
        if not isinstance(node, dict) or depth > 40:
            return "j"
        if "$ref" in node:
            return self.ref(node["$ref"], depth)
        alts = self.alternatives(node)
        if alts:
            parts = [self.node({k: v for k, v in node.items() if k not in ("oneOf", "anyOf", "allOf")}, depth + 1)]
            parts += [self.node(a, depth + 1) for a in alts]
            return merge([p for p in parts if p != "j"] or ["j"])
        kinds = node.get("type")
        kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
        if "properties" in node or "patternProperties" in node:
            kinds = ["object"] if not kinds else kinds
        if "items" in node and "array" not in kinds:
            kinds.append("array")
        if not kinds:
            return enum_node(node) or "j"
        shapes = []
        for kind in kinds:
            if kind == "object" and ("properties" in node or "patternProperties" in node or isinstance(node.get("additionalProperties"), dict)):
                obj = {k: self.node(v, depth + 1) for k, v in node.get("properties", {}).items()}
                extra = [self.node(v, depth + 1) for v in node.get("patternProperties", {}).values()]
                more = node.get("additionalProperties")
                if isinstance(more, dict):
                    extra.append(self.node(more, depth + 1))
                elif more is True:
                    extra.append("j")
                if extra:
                    obj["*"] = merge(extra)
                shapes.append(obj)
            elif kind == "array":
                shapes.append([self.node(node.get("items", {}), depth + 1)])
            elif kind == "string" and enum_node(node):
                shapes.append(enum_node(node))
            else:
                shapes.append(PRIMITIVE.get(kind, "j"))
        return merge(shapes)


def enum_node(node):
    values = node.get("enum")
    if isinstance(values, list) and values:
        return {"=": values}
    return None


def merge(shapes):
    """One node for several alternatives: objects merge their keys, primitives join with |."""
    if len(shapes) == 1:
        return shapes[0]
    if "j" in shapes:
        return "j"
    objects = [s for s in shapes if isinstance(s, dict) and "=" not in s]
    lists = [s for s in shapes if isinstance(s, list)]
    enums = [s for s in shapes if isinstance(s, dict) and "=" in s]
    prims = sorted({p for s in shapes if isinstance(s, str) for p in s.split("|")})
    if enums:
        prims = sorted(set(prims) | {"s"})
    if lists and objects or len(objects) + len(lists) + (1 if prims else 0) > 1 and (objects or lists):
        # A shape that is an object or a list or a primitive: any of them may be read.
        return "j"
    if objects:
        out = {}
        for o in objects:
            for k, v in o.items():
                out[k] = v if k not in out or out[k] == v else "j"
        return out
    if lists:
        return [merge([l[0] for l in lists])]
    return "|".join(prims) if len(prims) > 1 or not enums else (enums[0] if len(enums) == 1 else "s")


def main():
    types = all_types()
    lines = [f"# cfn-lint {version('cfn-lint')} provider schemas; {len(types)} types; generated by scripts/gen-cfn-schema.py"]
    for name in sorted(types):
        path = ROOT / "resources" / f"{types[name]}.json"
        schema = json.loads(path.read_text())
        c = Compactor(schema)
        # Read-only properties (Arn, DomainName…) are attributes: a template never sets them.
        read_only = {p.split("/")[-1] for p in schema.get("readOnlyProperties", []) if p.count("/") == 2}
        props = schema.get("properties", {})
        root = {k: c.node(v) for k, v in props.items() if k not in read_only}
        defs = {k: c.used[k] for k in sorted(c.used)}
        enc = lambda v: json.dumps(v, separators=(",", ":"), sort_keys=True)
        lines.append(f"{name}\t{enc(root)}\t{enc(defs)}")
    OUT.write_text("\n".join(lines) + "\n")
    print(f"{OUT}: {len(types)} types, {OUT.stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
