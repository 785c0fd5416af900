#!/usr/bin/env python3
"""Show where `vanban parse` disagrees with gold on header, addressees, signer, recipients.

Usage: scripts/diff-gold.py [--bin PATH] [--docs DIR] GOLD..."""
import argparse, json, os, subprocess, sys, unicodedata, re
import yaml

def clean(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(s or ""))).strip()

ap = argparse.ArgumentParser()
ap.add_argument("--bin", default="target/release/vanban")
ap.add_argument("--docs", default="../shared/corpus-ext")
ap.add_argument("gold", nargs="+")
a = ap.parse_args()
for g in a.gold:
    gold = yaml.safe_load(open(g))
    path = os.path.join(a.docs, gold["file"])
    if not os.path.exists(path):
        path = os.path.join("../shared/seeds", gold["file"])
    run = subprocess.run([a.bin, "parse", path, "--format", "json"], capture_output=True)
    doc = json.loads(run.stdout) if run.returncode == 0 else {}
    out = []
    for k, v in (gold.get("header") or {}).items():
        if clean(doc.get(k)).lower() != clean(v).lower():
            out.append(f"  header.{k}: got {doc.get(k)!r} want {v!r}")
    for k, v in (gold.get("signer") or {}).items():
        got = (doc.get("signer") or {}).get(k)
        if clean(got).lower() != clean(v).lower():
            out.append(f"  signer.{k}: got {got!r} want {v!r}")
    for key in ("addressees", "recipients"):
        if key not in gold: continue
        want = {clean(x) for x in gold.get(key) or []}
        got = {clean(x) for x in doc.get(key) or []}
        for x in sorted(want - got): out.append(f"  {key} missing: {x!r}")
        for x in sorted(got - want): out.append(f"  {key} extra: {x!r}")
    if "citations" in gold and os.environ.get("CIT"):
        want = {c["id"].lower(): c for c in gold["citations"]}
        got = {c["id"].lower(): c for c in doc.get("citations") or []}
        for x in sorted(set(want) - set(got)): out.append(f"  citation missing: {want[x]}")
        for x in sorted(set(got) - set(want)): out.append(f"  citation extra: {got[x]['id']} line {got[x]['line']}")
        for x in sorted(set(got) & set(want)):
            w, p = want[x], got[x]
            for f in ("date", "type", "relation"):
                if w.get(f) is not None and str(w.get(f)) != str(p.get(f)):
                    out.append(f"  citation {w['id']}.{f}: got {p.get(f)!r} want {w.get(f)!r} (line {p['line']})")
    if out:
        print(gold["file"]); print("\n".join(out))
