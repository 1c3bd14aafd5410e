#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target into OUT/TARGET/, generated at run time from the
files in ../shared (shrunk so that one execution stays fast) plus small hand-made inputs.
Nothing here is checked in: the corpus lives in the build folder.

usage: fuzz_seeds.py SHARED_DIR OUT_DIR
"""
import json
import os
import struct
import sys


def put(out, target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def safetensors(tensors, metadata=None):
    """tensors: list of (name, dtype, shape, bytes)."""
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, blob in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def shrink_safetensors(path, keep=4):
    """The first `keep` tensors of a shared checkpoint (header rewritten, data copied), so that the
    seed is a real header layout of a real model without its megabytes."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        meta = header.pop("__metadata__", None)
        tensors = []
        for name in sorted(header):
            info = header[name]
            begin, end = info["data_offsets"]
            if end - begin > 2048 or len(tensors) >= keep:
                continue
            f.seek(base + begin)
            tensors.append((name, info["dtype"], info["shape"], f.read(end - begin)))
    return safetensors(tensors, meta)


def shrink_tokenizer_json(path, vocab_keep=300, merges_keep=300):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    model = doc.get("model") or {}
    vocab = model.get("vocab")
    if isinstance(vocab, dict):
        kept = dict(sorted(vocab.items(), key=lambda kv: kv[1])[:vocab_keep])
        # ids must stay dense for a loader that checks them: renumber.
        kept = {tok: i for i, tok in enumerate(kept)}
        model["vocab"] = kept
        merges = model.get("merges") or []
        out = []
        for m in merges:
            parts = m.split(" ", 1) if isinstance(m, str) else m
            if len(parts) == 2 and parts[0] in kept and parts[1] in kept and parts[0] + parts[1] in kept:
                out.append(m)
            if len(out) >= merges_keep:
                break
        model["merges"] = out
        base = len(kept)
        added = []
        for i, t in enumerate((doc.get("added_tokens") or [])[:8]):
            t = dict(t)
            t["id"] = base + i
            added.append(t)
        doc["added_tokens"] = added
    elif isinstance(vocab, list):
        model["vocab"] = vocab[:vocab_keep]
    return json.dumps(doc, ensure_ascii=False).encode()


def sp_model(pieces, model_type=2):
    """A SentencePiece ModelProto: pieces (field 1: piece=1, score=2, type=3), trainer_spec
    (field 2: model_type=3, byte_fallback=35)."""
    def varint(v):
        out = b""
        while True:
            b = v & 0x7F
            v >>= 7
            if v:
                out += bytes([b | 0x80])
            else:
                return out + bytes([b])

    def field(num, wire, payload):
        return varint(num << 3 | wire) + payload

    def ld(num, data):
        return field(num, 2, varint(len(data)) + data)

    body = b""
    for piece, score, typ in pieces:
        p = ld(1, piece.encode()) + field(2, 5, struct.pack("<f", score)) + field(3, 0, varint(typ))
        body += ld(1, p)
    trainer = field(3, 0, varint(model_type)) + field(35, 0, varint(1))
    return body + ld(2, trainer)


def gguf(metadata, tensors):
    """GGUF v3: metadata [(key, type, value)], tensors [(name, dims, ggml_type, bytes)]."""
    def s(x):
        x = x.encode()
        return struct.pack("<Q", len(x)) + x

    def val(t, v):
        if t == 8:
            return s(v)
        if t == 9:
            et, items = v
            return struct.pack("<IQ", et, len(items)) + b"".join(val(et, i) for i in items)
        fmt = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q",
               11: "<q", 12: "<d"}[t]
        return struct.pack(fmt, v)

    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for k, t, v in metadata:
        out += s(k) + struct.pack("<I", t) + val(t, v)
    offset = 0
    for name, dims, gt, blob in tensors:
        out += s(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", gt, offset)
        offset += (len(blob) + 31) // 32 * 32
    out += b"\0" * ((32 - len(out) % 32) % 32)
    for _, _, _, blob in tensors:
        out += blob + b"\0" * ((32 - len(blob) % 32) % 32)
    return out


def main():
    shared, out = sys.argv[1], sys.argv[2]
    fx = os.path.join(shared, "fixtures")

    # safetensors
    arch = os.path.join(fx, "arch")
    for fam in sorted(os.listdir(arch)) if os.path.isdir(arch) else []:
        p = os.path.join(arch, fam, "model.safetensors")
        if os.path.exists(p):
            put(out, "fuzz_safetensors", fam + ".safetensors", shrink_safetensors(p))
    st = os.path.join(shared, "models", "stories260K", "model.safetensors")
    if os.path.exists(st):
        put(out, "fuzz_safetensors", "stories260K.safetensors", shrink_safetensors(st, 6))
    f32 = struct.pack("<4f", 1, 2, 3, 4)
    put(out, "fuzz_safetensors", "small.safetensors",
        safetensors([("a", "F32", [2, 2], f32), ("b", "BF16", [2], b"\x80\x3f\x00\x40"),
                     ("c", "F16", [1], b"\x00\x3c"), ("e", "I64", [0], b"")], {"format": "pt"}))
    put(out, "fuzz_safetensors", "train_state.safetensors",
        safetensors([("param.w", "F32", [4], f32)],
                    {"format": "pt", "anatomist.train_state": json.dumps(
                        {"step": 3, "data": {"epoch": 0, "cursor": 12},
                         "train": {"steps": 10, "batch_size": 2, "lr": 0.001}, "extra": {}})}))

    # config.json: every family's fixture and model
    for fam in sorted(os.listdir(arch)) if os.path.isdir(arch) else []:
        p = os.path.join(arch, fam, "config.json")
        if os.path.exists(p):
            put(out, "fuzz_config", fam + ".json", open(p, "rb").read())
    p = os.path.join(shared, "models", "stories260K", "config.json")
    if os.path.exists(p):
        put(out, "fuzz_config", "stories260K.json", open(p, "rb").read())
    put(out, "fuzz_config", "tiny_llama.json", json.dumps({
        "model_type": "llama", "architectures": ["LlamaForCausalLM"], "vocab_size": 32,
        "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2,
        "num_key_value_heads": 1, "rms_norm_eps": 1e-5, "hidden_act": "silu",
        "rope_scaling": {"rope_type": "llama3", "factor": 8.0},
        "anatomist_layer_intermediate_sizes": [16, 8], "anatomist_attention_bypass": [False, True]}))

    # tokenizer.json (shrunk) and tokenizer.model
    tk = os.path.join(fx, "tokenizers")
    for name in sorted(os.listdir(tk)) if os.path.isdir(tk) else []:
        for fn in ("tokenizer.json", "llama2_derived_tokenizer.json"):
            p = os.path.join(tk, name, fn)
            if os.path.exists(p):
                put(out, "fuzz_tokenizer_json", name + ".json", shrink_tokenizer_json(p))
    put(out, "fuzz_tokenizer_json", "wordlevel_min.json", json.dumps({
        "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "<unk>": 3}, "merges": ["a b"],
                  "unk_token": "<unk>", "byte_fallback": False},
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "use_regex": True},
        "decoder": {"type": "ByteLevel"}, "added_tokens": [{"id": 3, "content": "<unk>", "special": True}]}))
    for p in (os.path.join(shared, "models", "stories260K", "tokenizer.model"),):
        if os.path.exists(p):
            put(out, "fuzz_tokenizer_model", "tok512.model", open(p, "rb").read())
    put(out, "fuzz_tokenizer_model", "tiny.model", sp_model(
        [("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), ("<0x41>", 0, 6), ("\u2581a", -1, 1),
         ("b", -2, 1), ("\u2581ab", -0.5, 1)]))

    # llama2.c headers: the shared checkpoint's header on a file of the size it implies (zeros),
    # and a tiny one.
    def llama2c(dim, hidden, layers, heads, kv, vocab, seq, shared_cls=True):
        head = dim // heads
        per = 2 * dim + 2 * dim * dim + 2 * head * kv * dim + 3 * dim * hidden
        floats = vocab * dim + layers * per + dim + seq * head + (0 if shared_cls else vocab * dim)
        return struct.pack("<7i", dim, hidden, layers, heads, kv, vocab if shared_cls else -vocab, seq) + \
            b"\0" * (4 * floats)
    put(out, "fuzz_llama2c", "tiny.bin", llama2c(8, 16, 1, 2, 1, 16, 4))
    put(out, "fuzz_llama2c", "tiny_unshared.bin", llama2c(8, 16, 1, 2, 2, 16, 4, False))
    p = os.path.join(shared, "models", "stories260K-llama2c", "stories260K.bin")
    if os.path.exists(p):
        put(out, "fuzz_llama2c", "stories260K_header.bin", open(p, "rb").read(28))

    # GGUF: a tiny llama with a SentencePiece vocabulary, and the shared file's metadata on tiny
    # tensors (the vocabulary and the keys of a real conversion).
    md = [("general.architecture", 8, "llama"), ("general.alignment", 4, 32),
          ("llama.context_length", 4, 64), ("llama.embedding_length", 4, 8),
          ("llama.feed_forward_length", 4, 16), ("llama.block_count", 4, 1),
          ("llama.attention.head_count", 4, 2), ("llama.attention.head_count_kv", 4, 1),
          ("llama.attention.layer_norm_rms_epsilon", 6, 1e-5), ("llama.rope.freq_base", 6, 10000.0),
          ("tokenizer.ggml.model", 8, "llama"),
          ("tokenizer.ggml.tokens", 9, (8, ["<unk>", "<s>", "</s>", "\u2581a", "b"])),
          ("tokenizer.ggml.scores", 9, (6, [0.0, 0.0, 0.0, -1.0, -2.0])),
          ("tokenizer.ggml.token_type", 9, (5, [2, 3, 3, 1, 1])),
          ("tokenizer.ggml.bos_token_id", 4, 1), ("tokenizer.ggml.eos_token_id", 4, 2)]
    put(out, "fuzz_gguf", "tiny_llama.gguf", gguf(md, [
        ("token_embd.weight", [8, 5], 0, b"\0" * 160), ("output_norm.weight", [8], 0, b"\0" * 32),
        ("blk.0.attn_q.weight", [32, 1], 8, b"\0" * 34), ("blk.0.ffn_up.weight", [8, 2], 1, b"\0" * 32)]))

    # datasets: first byte selects the reader (see fuzz_datasets.cpp)
    data = os.path.join(shared, "data")
    def head(p, n=4000):
        return open(p, "rb").read(n) if os.path.exists(p) else b""
    put(out, "fuzz_datasets", "text.txt", b"\x00" + head(os.path.join(data, "stories_a.txt")))
    put(out, "fuzz_datasets", "technical.txt", b"\x00" + head(os.path.join(data, "technical.txt")))
    put(out, "fuzz_datasets", "texts.jsonl", b"\x01" + b'{"text": "one"}\n{"text": "two\\n"}\n\n')
    put(out, "fuzz_datasets", "pairs.jsonl", b"\x02" + head(os.path.join(data, "pairs_stories.jsonl")))
    put(out, "fuzz_datasets", "pairs_adult.jsonl", b"\x02" + head(os.path.join(data, "pairs_adult.jsonl")))
    put(out, "fuzz_datasets", "pairs.csv", b"\x03" + b'a,b\n"He said ""hi""",She said hi\nx,y\n')
    put(out, "fuzz_datasets", "split.txt", b"\x04" + b"doc one\n\n\ndoc two\r\n\r\n{\"text\":\"j\"}\n")

    # plans and variant records
    put(out, "fuzz_plan_json", "plan.json", json.dumps({
        "format": "anatomist-plan", "version": 1,
        "base": {"model_type": "llama", "num_hidden_layers": 8, "hidden_size": 64,
                 "intermediate_size": 172, "num_attention_heads": 8, "num_key_value_heads": 4},
        "operations": [{"op": "remove_layers", "layers": [1, 2]},
                       {"op": "prune_mlp", "layers": [3], "percent": 25, "method": "l2"},
                       {"op": "prune_heads", "layers": [4], "heads": [0, 1]},
                       {"op": "bypass_attention", "layers": [5]}]}))
    put(out, "fuzz_plan_json", "variant.json", json.dumps({
        "format": "anatomist-variant", "version": 1, "base": {"path": "/m", "sha256": "00"},
        "plan": {"format": "anatomist-plan", "version": 1, "operations": []},
        "kept_layers": [0, 1], "summary": {}}))

    # window documents
    put(out, "fuzz_session", "session.json", json.dumps({
        "format": "anatomist-session", "version": 1, "model": "m", "view": "similarity",
        "datasets": ["a.txt"], "plan": {"format": "anatomist-plan", "version": 1, "operations": [
            {"op": "remove_layers", "layers": [1]}]},
        "variants": [{"name": "v", "path": "v"}], "distill_runs": ["r"]}))
    put(out, "fuzz_session", "plan.json", json.dumps({
        "format": "anatomist-plan", "version": 1, "operations": [
            {"op": "prune_heads", "layers": [0], "heads": [1]}, {"op": "remove_layers", "layers": [2]}]}))


if __name__ == "__main__":
    main()
