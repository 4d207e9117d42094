#!/usr/bin/env python3
"""Builds the fuzzers' starting corpus from the bundled scenarios and the
catalogue of malformed inputs, in the input format of tests/common/fuzz.rs:
scenario, roster and market model joined by lines `--8<--`, with references
to the roster and market rewritten to the names the harness writes them under.

    python3 fuzz/seed_corpus.py        # fills fuzz/corpus/scenario and fuzz/corpus/solve
"""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEPARATOR = b"\n--8<--\n"


def inputs():
    for folder in ("scenarios", "tests/malformed", "tests/fixtures"):
        for path in sorted((ROOT / folder).glob("*.yaml")):
            if path.name.endswith(".market.yaml"):
                continue
            text = path.read_bytes()
            roster = b""
            market = b""
            m = re.search(rb"creators_csv:\s*([^\s#]+)", text)
            if m and (path.parent / m.group(1).decode(errors="replace")).is_file():
                roster = (path.parent / m.group(1).decode()).read_bytes()
                text = text.replace(m.group(0), b"creators_csv: roster.csv")
            m = re.search(rb"market:\s*([^\s#]+\.yaml)", text)
            if m and (path.parent / m.group(1).decode(errors="replace")).is_file():
                market = (path.parent / m.group(1).decode()).read_bytes()
                text = text.replace(m.group(0), b"market: custom.market.yaml")
            parts = [text]
            if roster or market:
                parts.append(roster)
            if market:
                parts.append(market)
            yield SEPARATOR.join(parts)


def main():
    for target in ("scenario", "solve"):
        out = ROOT / "fuzz" / "corpus" / target
        out.mkdir(parents=True, exist_ok=True)
        count = 0
        for data in inputs():
            (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
            count += 1
        print(f"{out.relative_to(ROOT)}: {count} seeds")


if __name__ == "__main__":
    main()
