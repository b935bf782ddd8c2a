#!/usr/bin/env python3
"""Validates embedded metric format documents, one JSON object per line on stdin, against the JSON
schema of AWS's specification (emf-schema.json beside this script) with the `jsonschema` package, and
checks the rules the specification states in prose that a schema cannot express. Prints one problem
per line and exits 1 if there are any; exits 3 when `jsonschema` cannot be imported."""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not importable", file=sys.stderr)
    sys.exit(3)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "emf-schema.json"), encoding="utf-8") as f:
    validator = jsonschema.Draft7Validator(json.load(f))

problems = []
count = 0
for number, line in enumerate(sys.stdin, 1):
    if not line.strip():
        continue
    count += 1
    try:
        document = json.loads(line)
    except ValueError as e:
        problems.append(f"line {number}: not JSON: {e}")
        continue
    for error in validator.iter_errors(document):
        problems.append(f"line {number}: schema: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    if not isinstance(document, dict) or not isinstance(document.get("_aws"), dict):
        continue
    for directive in document["_aws"].get("CloudWatchMetrics") or []:
        for dimension_set in directive.get("Dimensions") or []:
            for key in dimension_set:
                value = document.get(key)
                if not isinstance(value, str) or not value.strip():
                    problems.append(f"line {number}: dimension {key!r} has no non-empty string value on the root node")
        names = [m.get("Name") for m in directive.get("Metrics") or []]
        if len(names) != len(set(names)):
            problems.append(f"line {number}: a metric name repeats in one directive")
        for name in names:
            value = document.get(name)
            numbers = value if isinstance(value, list) else [value]
            if isinstance(value, list) and len(value) > 100:
                problems.append(f"line {number}: metric {name!r} has {len(value)} values (at most 100)")
            if not numbers or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in numbers):
                problems.append(f"line {number}: metric {name!r} is not a number or an array of numbers")

for problem in problems:
    print(problem)
print(f"{count} documents checked", file=sys.stderr)
sys.exit(1 if problems else 0)
