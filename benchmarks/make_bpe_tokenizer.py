#!/usr/bin/env python3
"""Writes a byte-level BPE tokenizer (tokenizer.json + tokenizer_config.json, the GPT-2 / SmolLM2
layout) with exactly N tokens into OUT, for benchmarks whose model shape needs a vocabulary size
no tokenizer in ../shared has (smollm2-135m: 49152). Token 0 is <|endoftext|>, tokens 1..256 the
256 bytes in GPT-2's byte-to-character mapping, the rest one merge each of two byte characters.
The text it tokenizes means nothing: it exists so that llama.cpp accepts a model of that shape.

usage: make_bpe_tokenizer.py N OUT
"""
import json
import os
import sys


def bytes_to_unicode():
    # ref: GPT-2 encoder.py: printable bytes map to themselves, the others to 256 + n
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for _, c in sorted(zip(bs, cs))]


def main():
    size, out = int(sys.argv[1]), sys.argv[2]
    chars = bytes_to_unicode()
    if size < 257 or size - 257 > 256 * 256:
        sys.exit(f"make_bpe_tokenizer: N must be between 257 and {257 + 256 * 256}")
    vocab = {"<|endoftext|>": 0}
    for c in chars:
        vocab[c] = len(vocab)
    merges = []
    for a in chars:
        for b in chars:
            if len(vocab) >= size:
                break
            vocab[a + b] = len(vocab)
            merges.append(f"{a} {b}")
    doc = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": 0, "content": "<|endoftext|>", "single_word": False,
                          "lstrip": False, "rstrip": False, "normalized": False, "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                          "use_regex": True},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": False, "byte_fallback": False, "vocab": vocab, "merges": merges},
    }
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        json.dump(doc, f, ensure_ascii=False)
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump({"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
                   "add_bos_token": False, "tokenizer_class": "GPT2Tokenizer"}, f)


if __name__ == "__main__":
    main()
