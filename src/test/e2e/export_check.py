"""Checks DeepClass's exports with tools that share no code with it: every .onnx file in a
folder with the ONNX checker (full_check: shape inference too), every bioimage.io package (.zip)
by reading its rdf.yaml with PyYAML, its files' SHA-256 and its .npy tensors with numpy.load.
Prints one line per file; exits 1 if any check fails.
    /usr/bin/python3 export_check.py <folder>
Needs Debian's python3-onnx, python3-yaml and python3-numpy."""
import hashlib
import io
import pathlib
import sys
import zipfile

import numpy
import onnx
import yaml

folder = pathlib.Path(sys.argv[1])
failed = 0
for path in sorted(folder.glob("*.onnx")):
    model = onnx.load(str(path))
    onnx.checker.check_model(model, full_check=True)
    meta = {p.key: p.value for p in model.metadata_props}
    opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    print(f"onnx-check {path.name}: ok, opset {opset}, {len(model.graph.node)} nodes, "
          f"metadata {sorted(meta)}")
for path in sorted(folder.glob("*.bioimage.io.zip")):
    problems = []
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    rdf = yaml.safe_load(files["rdf.yaml"])
    for key in ("type", "format_version", "name", "description", "authors", "cite", "license",
                "documentation", "inputs", "outputs", "weights"):
        if key not in rdf:
            problems.append("no " + key)
    if rdf.get("type") != "model" or not str(rdf.get("format_version")).startswith("0.5."):
        problems.append("not a 0.5 model description")
    named = [rdf["weights"]["onnx"]] + [t["test_tensor"] for t in rdf["inputs"] + rdf["outputs"]]
    named += rdf.get("attachments", [])
    for d in named:
        data = files.get(d["source"])
        if data is None:
            problems.append(d["source"] + " missing")
        elif hashlib.sha256(data).hexdigest() != d["sha256"]:
            problems.append(d["source"] + " sha256 differs")
    for doc in [rdf["documentation"]] + rdf.get("covers", []):
        if doc not in files:
            problems.append(doc + " missing")
    tin = numpy.load(io.BytesIO(files[rdf["inputs"][0]["test_tensor"]["source"]]))
    tout = numpy.load(io.BytesIO(files[rdf["outputs"][0]["test_tensor"]["source"]]))
    axes = rdf["inputs"][0]["axes"]
    expected = [1, len(axes[1]["channel_names"]), axes[2]["size"], axes[3]["size"]]
    if list(tin.shape) != expected or tin.dtype != numpy.float32:
        problems.append(f"test input {tin.shape} {tin.dtype}, expected {expected} float32")
    classes = rdf["outputs"][0]["axes"][1]["channel_names"]
    if list(tout.shape) != [1, len(classes)] or abs(float(tout.sum()) - 1) > 1e-5:
        problems.append(f"test output {tout.shape} sums to {tout.sum()}")
    if not all(c.isidentifier() for c in classes):
        problems.append(f"channel names not identifiers: {classes}")
    onnx.checker.check_model(onnx.load_from_string(files[rdf["weights"]["onnx"]["source"]]),
                             full_check=True)
    steps = [s["id"] for s in rdf["inputs"][0].get("preprocessing", [])]
    status = "ok" if not problems else "FAILED: " + "; ".join(problems)
    failed += bool(problems)
    print(f"bioimage.io {path.name}: {status}; input {tin.shape}, output {tout.shape} "
          f"({', '.join(classes)}), preprocessing {steps}")
sys.exit(1 if failed else 0)
