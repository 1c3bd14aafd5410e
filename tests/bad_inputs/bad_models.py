#!/usr/bin/env python3
"""Hostile model folders and files, generated at test time, each run through `anatomist-cli info`
and `anatomist-cli eval`. Every one must fail cleanly: exit code 1, a one-line error that names the
broken file, no signal, no libstdc++ / nlohmann / c10 internals in the message, bounded memory
(the CLI runs under an address-space limit, so a size from config.json that is attempted instead of
refused shows up as "out of memory" without the file name, and fails the test).

usage: bad_models.py CLI SHARED_DIR [--list] [--only NAME]
       bad_models.py --generate DIR SHARED_DIR
--generate only builds the cases, each in DIR/NAME, and writes DIR/cases.json (a list of {"name",
"model": the path to open, "broken": the broken file, "names": what the error must name,
"commands"}): the GUI test (tests/gui/tst_gui_bad_models.cpp) opens each through the window.
The base model is ../shared/models/stories260K (config.json, model.safetensors, tokenizer.model);
nothing is written outside a temporary folder.
"""
import concurrent.futures
import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile

INTERNALS = ("basic_string", "filesystem error", "std::", "c10::", "Exception raised from",
             "terminate called", "[json.exception", "vector::", "stoi", "stol", "bad_alloc",
             "out of memory", "what():")
MEMORY_LIMIT = 6 << 30  # bytes of address space for one CLI run
# Under AddressSanitizer (the `asan-bad-input` preset sets ANATOMIST_ASAN=1) an address-space limit
# cannot work: ASan reserves terabytes of shadow memory at start-up. Its own allocator bounds the
# run instead: an allocation above the limit fails as std::bad_alloc ("out of memory", which the
# message check rejects like the rlimit's), and a process whose resident memory passes it is killed
# with a report.
UNDER_ASAN = os.environ.get("ANATOMIST_ASAN") == "1"
ASAN_LIMITS = (f"allocator_may_return_null=1:max_allocation_size_mb={MEMORY_LIMIT >> 20}:"
               f"hard_rss_limit_mb={MEMORY_LIMIT >> 20}")
# A sanitizer report ends the process with exit code 1 by default, the code a clean refusal has,
# so reports are found in the output, not in the exit code.
SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "SUMMARY: UndefinedBehaviorSanitizer", "SUMMARY: AddressSanitizer")


def base_files(shared):
    return os.path.join(shared, "models", "stories260K")


class Case:
    def __init__(self, name, build, names, commands=("info", "eval")):
        self.name, self.build, self.names, self.commands = name, build, names, commands


def model_folder(root, shared, config=None, link=("model.safetensors", "tokenizer.model")):
    """A copy of stories260K: config.json written (edited when `config` is a function), the large
    files linked to ../shared (read-only there, never modified)."""
    d = os.path.join(root, "model")
    os.makedirs(d)
    base = base_files(shared)
    doc = json.load(open(os.path.join(base, "config.json")))
    if callable(config):
        doc = config(doc)
    if doc is not None:
        with open(os.path.join(d, "config.json"), "w") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
    for name in link:
        os.symlink(os.path.join(base, name), os.path.join(d, name))
    shutil.copy(os.path.join(base, "tokenizer_config.json"), d)
    return d


def edit(**changes):
    def f(doc):
        for k, v in changes.items():
            if v is KeyError:
                doc.pop(k, None)
            else:
                doc[k] = v
        return doc
    return f


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    return header, data


def write_safetensors(path, header, data, raw_header=None):
    h = raw_header if raw_header is not None else json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + data)


def with_weights(edit_header):
    """A folder whose model.safetensors is stories260K's with its header edited."""
    def build(root, shared):
        d = model_folder(root, shared, link=("tokenizer.model",))
        header, data = read_safetensors(os.path.join(base_files(shared), "model.safetensors"))
        result = edit_header(header, data)
        if isinstance(result, bytes):
            with open(os.path.join(d, "model.safetensors"), "wb") as f:
                f.write(result)
        else:
            header, data = result
            write_safetensors(os.path.join(d, "model.safetensors"), header, data)
        return d, os.path.join(d, "model.safetensors")
    return build


def first_tensor(header):
    return sorted(k for k in header if k != "__metadata__")[0]


def cases(shared):
    out = []

    def config_case(name, change):
        def build(root, shared):
            d = model_folder(root, shared, change)
            return d, os.path.join(d, "config.json")
        out.append(Case(name, build, ["config.json"]))

    # config.json: syntax and types
    config_case("config_empty", lambda doc: "")
    config_case("config_truncated_json", lambda doc: json.dumps(doc)[:40])
    config_case("config_array", lambda doc: "[1, 2, 3]")
    config_case("config_nul_bytes", lambda doc: "\0" * 64)
    config_case("config_unknown_model_type", edit(model_type="transformer-xl", architectures=["X"]))
    config_case("config_no_model_type", edit(model_type=KeyError, architectures=KeyError))
    config_case("config_model_type_number", edit(model_type=7, architectures=KeyError))
    config_case("config_hidden_size_string", edit(hidden_size="64"))
    config_case("config_hidden_size_negative", edit(hidden_size=-64))
    config_case("config_hidden_size_fraction", edit(hidden_size=64.5))
    config_case("config_heads_zero", edit(num_attention_heads=0))
    config_case("config_heads_not_dividing", edit(num_attention_heads=7, head_dim=KeyError))
    config_case("config_kv_heads_not_dividing", edit(num_key_value_heads=3))
    config_case("config_rope_scaling_unknown", edit(rope_scaling={"rope_type": "yarn", "factor": 4}))
    config_case("config_rope_theta_string", edit(rope_theta="big"))
    config_case("config_activation_unknown", edit(hidden_act="swiglu2"))
    config_case("config_eos_strings", edit(eos_token_id=["</s>"]))
    config_case("config_layer_list_wrong_length", edit(anatomist_layer_intermediate_sizes=[172, 172]))
    config_case("config_bypass_list_wrong_type", edit(anatomist_attention_bypass="yes"))
    # config.json: sizes the weights cannot back (refused before allocating)
    config_case("config_layers_billion", edit(num_hidden_layers=10**9))
    config_case("config_layers_2e40", edit(num_hidden_layers=2**40))
    config_case("config_layers_beyond_weights", edit(num_hidden_layers=1000))
    config_case("config_hidden_huge", edit(hidden_size=10**7, head_dim=KeyError))
    config_case("config_intermediate_huge", edit(intermediate_size=10**9))
    config_case("config_vocab_huge", edit(vocab_size=2**40))
    config_case("config_vocab_off_by_one", edit(vocab_size=513))
    config_case("config_head_dim_huge", edit(head_dim=2**31))
    config_case("config_everything_huge", edit(hidden_size=2**20, intermediate_size=2**24,
                                               vocab_size=2**24, num_hidden_layers=5, head_dim=2**17))

    # config.json: the path itself
    def config_dir(root, shared):
        d = model_folder(root, shared, lambda doc: None)
        os.mkdir(os.path.join(d, "config.json"))
        return d, os.path.join(d, "config.json")
    out.append(Case("config_is_a_folder", config_dir, ["config.json"]))

    def config_loop(root, shared):
        d = model_folder(root, shared, lambda doc: None)
        os.symlink("config.json", os.path.join(d, "config.json"))
        return d, os.path.join(d, "config.json")
    out.append(Case("config_symlink_loop", config_loop, ["config.json"]))

    def config_dangling(root, shared):
        d = model_folder(root, shared, lambda doc: None)
        os.symlink("nowhere.json", os.path.join(d, "config.json"))
        return d, os.path.join(d, "config.json")
    out.append(Case("config_dangling_symlink", config_dangling, ["config.json"]))

    def config_missing(root, shared):
        d = model_folder(root, shared, lambda doc: None)
        return d, os.path.join(d, "config.json")
    out.append(Case("config_missing", config_missing, ["config.json"]))

    if os.geteuid() != 0:  # root reads mode-000 files anyway
        def config_unreadable(root, shared):
            d = model_folder(root, shared)
            os.chmod(os.path.join(d, "config.json"), 0)
            return d, os.path.join(d, "config.json")
        out.append(Case("config_unreadable", config_unreadable, ["config.json"]))

    # model.safetensors
    out.append(Case("weights_empty_file", with_weights(lambda h, d: b""), ["model.safetensors"]))
    out.append(Case("weights_header_length_huge",
                    with_weights(lambda h, d: struct.pack("<Q", 2**63) + b"{}"), ["model.safetensors"]))
    out.append(Case("weights_header_past_end",
                    with_weights(lambda h, d: struct.pack("<Q", 4096) + b"{}"), ["model.safetensors"]))
    out.append(Case("weights_header_not_json",
                    with_weights(lambda h, d: struct.pack("<Q", 8) + b"{nojson}"), ["model.safetensors"]))
    out.append(Case("weights_header_array",
                    with_weights(lambda h, d: struct.pack("<Q", 8) + b"[1,2,3] "), ["model.safetensors"]))

    def set_field(field, value):
        def f(h, d):
            h[first_tensor(h)][field] = value
            return h, d
        return f
    out.append(Case("weights_offsets_past_end",
                    with_weights(set_field("data_offsets", [0, 2**40])), ["model.safetensors"]))
    out.append(Case("weights_offsets_reversed",
                    with_weights(set_field("data_offsets", [64, 0])), ["model.safetensors"]))
    out.append(Case("weights_dtype_unknown", with_weights(set_field("dtype", "F128")), ["model.safetensors"]))
    out.append(Case("weights_shape_disagrees_with_bytes",
                    with_weights(set_field("shape", [3, 3])), ["model.safetensors"]))
    out.append(Case("weights_shape_negative", with_weights(set_field("shape", [-1, 64])), ["model.safetensors"]))
    out.append(Case("weights_shape_overflow",
                    with_weights(set_field("shape", [2**62, 2**62])), ["model.safetensors"]))

    def truncate(h, d):
        return h, d[: len(d) // 2]
    out.append(Case("weights_truncated", with_weights(truncate), ["model.safetensors"]))

    def drop_tensor(h, d):
        h.pop(sorted(k for k in h if "layers.2." in k)[0])
        return h, d
    out.append(Case("weights_tensor_missing", with_weights(drop_tensor), ["model.safetensors"]))

    def extra_tensor(h, d):
        h["model.layers.9.mlp.up_proj.weight"] = {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}
        return h, d
    out.append(Case("weights_unexpected_tensor", with_weights(extra_tensor), ["model.safetensors"]))

    def wrong_shape(h, d):
        name = sorted(k for k in h if k.endswith("norm.weight"))[0]
        begin = h[name]["data_offsets"][0]
        h[name]["shape"] = [32]
        h[name]["data_offsets"] = [begin, begin + 128]
        return h, d
    out.append(Case("weights_tensor_wrong_shape", with_weights(wrong_shape), ["model.safetensors"]))

    def weights_dir(root, shared):
        d = model_folder(root, shared, link=("tokenizer.model",))
        os.mkdir(os.path.join(d, "model.safetensors"))
        return d, os.path.join(d, "model.safetensors")
    out.append(Case("weights_is_a_folder", weights_dir, ["model.safetensors"]))

    def weights_loop(root, shared):
        d = model_folder(root, shared, link=("tokenizer.model",))
        os.symlink("model.safetensors", os.path.join(d, "model.safetensors"))
        return d, os.path.join(d, "model.safetensors")
    out.append(Case("weights_symlink_loop", weights_loop, ["model.safetensors"]))

    def weights_missing(root, shared):
        d = model_folder(root, shared, link=("tokenizer.model",))
        return d, d
    out.append(Case("weights_missing", weights_missing, ["model"]))

    def pickled_only(root, shared):
        d = model_folder(root, shared, link=("tokenizer.model",))
        open(os.path.join(d, "pytorch_model.bin"), "wb").write(b"PK\x03\x04 pickle")
        return d, os.path.join(d, "pytorch_model.bin")
    out.append(Case("weights_pickled_only", pickled_only, ["pytorch_model.bin"]))

    def index_case(name, text, named):
        def build(root, shared):
            d = model_folder(root, shared, link=("tokenizer.model",))
            open(os.path.join(d, "model.safetensors.index.json"), "w").write(text)
            return d, os.path.join(d, named)
        out.append(Case(name, build, [named]))
    index_case("index_not_json", "{\"weight_map\": ", "model.safetensors.index.json")
    index_case("index_weight_map_wrong_type", json.dumps({"weight_map": [1, 2]}), "model.safetensors.index.json")
    index_case("index_shard_missing", json.dumps({"weight_map": {"model.embed_tokens.weight":
                                                                 "model-00001-of-00002.safetensors"}}),
               "model-00001-of-00002.safetensors")
    index_case("index_shard_escapes_folder", json.dumps({"weight_map": {"model.embed_tokens.weight":
                                                                        "../../../etc/passwd"}}),
               "model.safetensors.index.json")

    # tokenizer (eval needs it; info does not load it)
    def tokenizer_case(name, filename, content, unlink_model=False):
        def build(root, shared):
            d = model_folder(root, shared, link=("model.safetensors",) + (() if unlink_model else ("tokenizer.model",)))
            p = os.path.join(d, filename)
            if content is None:
                os.mkdir(p)
            else:
                open(p, "wb").write(content)
            return d, p
        out.append(Case(name, build, [filename], commands=("eval",)))
    tokenizer_case("tokenizer_model_garbage", "tokenizer.model", b"\x0a\xff\xff\xff\xff\x0f garbage", True)
    tokenizer_case("tokenizer_model_empty", "tokenizer.model", b"", True)
    tokenizer_case("tokenizer_model_is_a_folder", "tokenizer.model", None, True)
    tokenizer_case("tokenizer_json_not_json", "tokenizer.json", b"{\"model\": {", False)
    tokenizer_case("tokenizer_json_unknown_model", "tokenizer.json",
                   json.dumps({"model": {"type": "Mystery"}}).encode(), False)
    tokenizer_case("tokenizer_json_vocab_wrong_type", "tokenizer.json",
                   json.dumps({"model": {"type": "BPE", "vocab": [1, 2], "merges": []}}).encode(), False)

    # GGUF files
    def gguf_case(name, content):
        def build(root, shared):
            p = os.path.join(root, "model.gguf")
            open(p, "wb").write(content(shared))
            return p, p
        out.append(Case(name, build, ["model.gguf"]))
    gguf_path = lambda shared: os.path.join(shared, "models", "stories260K-llama2c", "stories260K-f32.gguf")
    gguf_case("gguf_empty", lambda s: b"")
    gguf_case("gguf_bad_magic", lambda s: b"GGUX" + open(gguf_path(s), "rb").read()[4:4096])
    gguf_case("gguf_truncated", lambda s: open(gguf_path(s), "rb").read()[:600000])
    gguf_case("gguf_header_only", lambda s: open(gguf_path(s), "rb").read()[:24])
    gguf_case("gguf_tensor_count_huge", lambda s: b"GGUF" + struct.pack("<IQQ", 3, 2**62, 0))
    gguf_case("gguf_kv_count_huge", lambda s: b"GGUF" + struct.pack("<IQQ", 3, 0, 2**62))
    gguf_case("gguf_string_length_huge",
              lambda s: b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 2**62) + b"key")

    # the model path itself
    def not_a_model(root, shared):
        p = os.path.join(root, "notes.txt")
        open(p, "w").write("hello")
        return p, p
    out.append(Case("path_is_a_text_file", not_a_model, ["notes.txt"]))

    def no_such_path(root, shared):
        p = os.path.join(root, "does-not-exist")
        return p, p
    out.append(Case("path_missing", no_such_path, ["does-not-exist"]))
    return out


def run(cli, args, cwd):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    env = dict(os.environ, OMP_NUM_THREADS="1")
    if UNDER_ASAN:
        env["ASAN_OPTIONS"] = ":".join(o for o in (os.environ.get("ASAN_OPTIONS"), ASAN_LIMITS) if o)
    return subprocess.run([cli] + args, cwd=cwd, capture_output=True, text=True, errors="replace",
                          timeout=300 if UNDER_ASAN else 120,
                          preexec_fn=None if UNDER_ASAN else limit, env=env)


def generate(folder, shared):
    if not os.path.isdir(base_files(shared)):
        print(f"bad_models: {base_files(shared)} is missing", file=sys.stderr)
        sys.exit(1)
    listed = []
    for case in cases(shared):
        root = os.path.join(folder, case.name)
        os.makedirs(root)
        model, broken = case.build(root, shared)
        listed.append({"name": case.name, "model": model, "broken": broken, "names": case.names,
                       "commands": list(case.commands)})
    with open(os.path.join(folder, "cases.json"), "w") as f:
        json.dump(listed, f, indent=1)


def main():
    if sys.argv[1] == "--generate":
        generate(os.path.abspath(sys.argv[2]), sys.argv[3])
        return
    cli, shared = os.path.abspath(sys.argv[1]), sys.argv[2]
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    if not os.path.isdir(base_files(shared)):
        print(f"bad_models: {base_files(shared)} is missing", file=sys.stderr)
        sys.exit(1 if os.environ.get("CI") == "true" else 77)
    all_cases = cases(shared)
    if "--list" in sys.argv:
        print("\n".join(c.name for c in all_cases))
        return
    failures, runs = [], []
    with tempfile.TemporaryDirectory(prefix="anatomist-bad-") as tmp:
        text = os.path.join(tmp, "text.txt")
        open(text, "w").write("Once upon a time there was a little cat.\n")
        for case in all_cases:
            if only and case.name != only:
                continue
            root = os.path.join(tmp, case.name)
            os.makedirs(root)
            model, broken = case.build(root, shared)
            for command in case.commands:
                args = [command, model] + (["--text", text] if command == "eval" else [])
                runs.append((case, command, broken, args, root))
        # Two at a time: CI has two cores, and each run is mostly libtorch's start-up.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda r: run(cli, r[3], r[4]), runs))
        for (case, command, broken, _, _), r in zip(runs, results):
            err = r.stderr.strip()
            problems = []
            if any(s in err for s in SANITIZER_REPORTS):
                problems.append("sanitizer report")
            if r.returncode < 0:
                problems.append(f"killed by signal {-r.returncode}")
            elif r.returncode != 1:
                problems.append(f"exit code {r.returncode}, expected 1")
            if not any(n in err for n in case.names) or os.path.basename(broken) not in err:
                problems.append(f"message does not name {os.path.basename(broken)}")
            # A JSON syntax error is reported inside Anatomist's own message ("<file>: not valid
            # JSON (...)") with nlohmann's line and column; that detail is allowed, a bare library
            # message is not.
            checked = err.replace("not valid JSON ([json.exception.parse_error", "not valid JSON (")
            if any(s in checked for s in INTERNALS):
                problems.append("message shows library internals")
            if err.count("\n") > 1 and "sanitizer report" not in problems:
                problems.append("message is more than two lines")
            status = "ok  " if not problems else "FAIL"
            print(f"{status} {case.name:40s} {command:5s} exit {r.returncode}: {err.splitlines()[-1] if err else ''}")
            if problems:
                shown = err if "sanitizer report" in problems else err[:400]
                failures.append(f"{case.name} ({command}): {'; '.join(problems)}\n    stderr: {shown}")
    print(f"\n{len(all_cases)} malformed inputs, {len(runs)} runs, {len(failures)} failures")
    for f in failures:
        print("FAIL " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
