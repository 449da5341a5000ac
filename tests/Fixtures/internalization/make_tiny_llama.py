#!/usr/bin/env python3
"""Makes the tiny random-weight Llama-family checkpoints that PromptKit.Internalization's tests load, and the reference
outputs they must reproduce, with an implementation that shares no code with the C# one.

Each checkpoint is a folder in Hugging Face layout: config.json, model.safetensors (written here by a small safetensors
writer), tokenizer.json + vocab.json + merges.txt (a byte-level BPE learned here from a small corpus, GPT-2's algorithm),
tokenizer_config.json (ChatML chat template) and reference.json:
  - "input_ids" and "logits" ([tokens][vocabulary]) of one forward pass of the reference model in float32,
  - "greedy": a prompt and the greedy continuation of the reference model,
  - "tokenization": texts and the ids this script's BPE encoder gives them.

A third folder, tiny-sentencepiece, holds a SentencePiece BPE tokenizer.model (byte fallback, Llama's special-token ids)
trained here with the sentencepiece package, and reference.json with the ids sentencepiece itself gives six texts.

Needs Python 3, PyTorch and sentencepiece (Debian: apt-get install python3-torch python3-regex python3-sentencepiece).
Deterministic: seeded generators, one training thread.
Usage: make_tiny_llama.py OUTPUT_FOLDER
"""
import json
import math
import os
import struct
import sys

import regex
import torch

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
          "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")
CORPUS = """The user asks for a file and the agent lists the folder. Think first, then act: bash ls, bash cat notes.txt.
The answer is in the file; the agent reads it and answers. When the task is done, finish. The system prompt says how
to think and how to act. A long prompt costs compute on every call; a student learns to behave as if it were there.
Hello there! How are you today? I am fine, thank you. Numbers: 12, 345, 2024. It's the user's turn; they'll reply."""


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_MAP = bytes_to_unicode()


def pre_tokenize(text):
    return ["".join(BYTE_MAP[b] for b in piece.encode("utf-8")) for piece in regex.findall(GPT2_PATTERN, text)]


def learn_bpe(corpus, merges_wanted):
    words = {}
    for piece in pre_tokenize(corpus):
        words[tuple(piece)] = words.get(tuple(piece), 0) + 1
    merges = []
    for _ in range(merges_wanted):
        pairs = {}
        for word, count in words.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + count
        if not pairs:
            break
        best = max(sorted(pairs), key=lambda p: pairs[p])  # most frequent; ties by sorted order
        merges.append(best)
        merged = {}
        for word, count in words.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + count
        words = merged
    return merges


def bpe_encode(text, vocab, ranks):
    """GPT-2's encoder: specials split first, then each pre-token merged by lowest merge rank."""
    ids = []
    pattern = "(" + "|".join(regex.escape(s) for s in SPECIALS) + ")"
    for part in regex.split(pattern, text):
        if part == "":
            continue
        if part in SPECIALS:
            ids.append(vocab[part])
            continue
        for piece in pre_tokenize(part):
            word = list(piece)
            while len(word) > 1:
                candidates = [(ranks.get((a, b), math.inf), i) for i, (a, b) in enumerate(zip(word, word[1:]))]
                rank, i = min(candidates)
                if rank == math.inf:
                    break
                word = word[:i] + [word[i] + word[i + 1]] + word[i + 2:]
            ids.extend(vocab[w] for w in word)
    return ids


def write_tokenizer(folder, merges):
    base = [BYTE_MAP[b] for b in range(256)]
    vocab = {}
    for token in base + [a + b for a, b in merges]:
        if token not in vocab:
            vocab[token] = len(vocab)
    for special in SPECIALS:
        vocab[special] = len(vocab)
    merge_lines = [f"{a} {b}" for a, b in merges]
    added = [{"id": vocab[s], "content": s, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for s in SPECIALS]
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": merge_lines},
    }
    with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=1)
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({k: v for k, v in vocab.items() if k not in SPECIALS}, f, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "\n".join(merge_lines) + "\n")
    config = {"add_prefix_space": False, "bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
              "unk_token": None, "model_max_length": 256, "chat_template": CHATML,
              "added_tokens_decoder": {str(a["id"]): a for a in added}}
    with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=1)
    ranks = {m: i for i, m in enumerate(merges)}
    return vocab, ranks


def write_safetensors(path, tensors, dtype):
    """The safetensors layout: u64 header length, JSON header (offsets into the data), then the raw little-endian data."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        if dtype == "BF16":
            data = t.to(torch.bfloat16).view(torch.int16).numpy().tobytes()
        else:
            data = t.to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def random_weights(cfg, generator):
    h, i_size, v = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    heads, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = cfg.get("head_dim", h // heads)

    def lin(out_f, in_f):
        return torch.randn(out_f, in_f, generator=generator) / math.sqrt(in_f)

    def norm(n):
        return 1.0 + 0.1 * torch.randn(n, generator=generator)

    embedding_std = 0.3 if cfg["tie_word_embeddings"] else 1.0  # tied: the embedding is also the output head
    w = {"model.embed_tokens.weight": embedding_std * torch.randn(v, h, generator=generator), "model.norm.weight": norm(h)}
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        w[p + "self_attn.q_proj.weight"] = lin(heads * d, h)
        w[p + "self_attn.k_proj.weight"] = lin(kv * d, h)
        w[p + "self_attn.v_proj.weight"] = lin(kv * d, h)
        w[p + "self_attn.o_proj.weight"] = lin(h, heads * d)
        if cfg.get("attention_bias", False) and cfg["architectures"][0] != "Qwen2ForCausalLM":  # Llama: o_proj too
            w[p + "self_attn.o_proj.bias"] = 0.1 * torch.randn(h, generator=generator)
        if cfg.get("attention_bias", False) or cfg["architectures"][0] == "Qwen2ForCausalLM":
            w[p + "self_attn.q_proj.bias"] = 0.1 * torch.randn(heads * d, generator=generator)
            w[p + "self_attn.k_proj.bias"] = 0.1 * torch.randn(kv * d, generator=generator)
            w[p + "self_attn.v_proj.bias"] = 0.1 * torch.randn(kv * d, generator=generator)
        w[p + "mlp.gate_proj.weight"] = lin(i_size, h)
        w[p + "mlp.up_proj.weight"] = lin(i_size, h)
        w[p + "mlp.down_proj.weight"] = lin(h, i_size)
        w[p + "input_layernorm.weight"] = norm(h)
        w[p + "post_attention_layernorm.weight"] = norm(h)
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = lin(v, h)
    return w


def inverse_frequencies(cfg, d):
    inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    scaling = cfg.get("rope_scaling")
    if scaling is None:
        return inv
    kind = scaling.get("rope_type", scaling.get("type"))
    if kind == "linear":
        return inv / scaling["factor"]
    if kind == "llama3":
        factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
        old = scaling["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / low, old / high
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > low_wavelen, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wavelen) & ~(wavelen > low_wavelen)
        return torch.where(medium, smoothed, scaled)
    raise ValueError(kind)


def reference_logits(cfg, w, ids):
    """Independent float32 reference of the Llama architecture (HF's rotate-half rotary layout, GQA by repeating heads)."""
    h, heads, kv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = cfg.get("head_dim", h // heads)
    eps = cfg["rms_norm_eps"]
    n = len(ids)
    f = {k: t.to(torch.float32) for k, t in w.items()}

    def rms(x, weight):
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))

    def linear(x, name):
        y = x @ f[name + ".weight"].T
        return y + f[name + ".bias"] if name + ".bias" in f else y

    inv = inverse_frequencies(cfg, d).to(torch.float32)
    angles = torch.outer(torch.arange(n, dtype=torch.float32), inv)
    cos, sin = torch.cat([angles, angles], -1).cos(), torch.cat([angles, angles], -1).sin()

    def rotate(x):  # x: [heads, n, d]
        x1, x2 = x[..., : d // 2], x[..., d // 2:]
        return x * cos + torch.cat([-x2, x1], -1) * sin

    x = f["model.embed_tokens.weight"][torch.tensor(ids)]
    mask = torch.full((n, n), float("-inf")).triu(1)
    for layer in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{layer}."
        a = rms(x, f[p + "input_layernorm.weight"])
        q = rotate(linear(a, p + "self_attn.q_proj").view(n, heads, d).transpose(0, 1))
        k = rotate(linear(a, p + "self_attn.k_proj").view(n, kv, d).transpose(0, 1))
        v = linear(a, p + "self_attn.v_proj").view(n, kv, d).transpose(0, 1)
        k = k.repeat_interleave(heads // kv, dim=0)
        v = v.repeat_interleave(heads // kv, dim=0)
        scores = (q @ k.transpose(1, 2)) / math.sqrt(d) + mask
        attended = (scores.softmax(-1) @ v).transpose(0, 1).reshape(n, heads * d)
        x = x + linear(attended, p + "self_attn.o_proj")
        m = rms(x, f[p + "post_attention_layernorm.weight"])
        gate = linear(m, p + "mlp.gate_proj")
        x = x + linear(torch.nn.functional.silu(gate) * linear(m, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = rms(x, f["model.norm.weight"])
    head = f["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else f["lm_head.weight"]
    return x @ head.T


def make(folder, cfg, dtype, seed, vocab, ranks):
    os.makedirs(folder, exist_ok=True)
    generator = torch.Generator().manual_seed(seed)
    weights = random_weights(cfg, generator)
    if dtype == "BF16":  # the reference computes with what the file holds
        weights = {k: t.to(torch.bfloat16) for k, t in weights.items()}
    write_safetensors(os.path.join(folder, "model.safetensors"), weights, dtype)
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as fh:
        json.dump(cfg, fh, indent=1)
    text = "<|im_start|>user\nThink first, then act: bash ls.<|im_end|>\n<|im_start|>assistant\n"
    ids = bpe_encode(text, vocab, ranks)
    with torch.no_grad():
        logits = reference_logits(cfg, weights, ids)
        prompt = ids[:12]
        generated = list(prompt)
        for _ in range(16):
            generated.append(int(reference_logits(cfg, weights, generated)[-1].argmax()))
    texts = ["Hello there! How are you today?", "bash cat notes.txt", "It's 2024; they'll reply.",
             "  two  spaces\tand a tab\n", "ünïcödé ok", text]
    reference = {
        "input_ids": ids,
        "logits": [[float(v) for v in row] for row in logits],
        "greedy": {"prompt": prompt, "generated": generated[len(prompt):]},
        "tokenization": [{"text": t, "ids": bpe_encode(t, vocab, ranks)} for t in texts],
    }
    with open(os.path.join(folder, "reference.json"), "w", encoding="utf-8") as fh:
        json.dump(reference, fh, ensure_ascii=False)


def make_sentencepiece(folder):
    import sentencepiece as spm
    os.makedirs(folder, exist_ok=True)
    corpus = os.path.join(folder, "corpus.txt")
    with open(corpus, "w", encoding="utf-8") as fh:
        fh.write(CORPUS + "\n")
    spm.SentencePieceTrainer.train(
        input=corpus, model_prefix=os.path.join(folder, "tokenizer"), vocab_size=400, model_type="bpe",
        byte_fallback=True, character_coverage=1.0, num_threads=1, unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
        add_dummy_prefix=True, remove_extra_whitespaces=False, normalization_rule_name="identity",
        minloglevel=2, hard_vocab_limit=False)
    os.remove(corpus)
    os.remove(os.path.join(folder, "tokenizer.vocab"))
    processor = spm.SentencePieceProcessor(model_file=os.path.join(folder, "tokenizer.model"))
    texts = ["Hello there! How are you today?", "bash cat notes.txt", "It's 2024; they'll reply.", "ünïcödé ok", "x\u4e2d y"]
    with open(os.path.join(folder, "reference.json"), "w", encoding="utf-8") as fh:
        json.dump({"tokenization": [{"text": t, "ids": processor.encode(t)} for t in texts]}, fh, ensure_ascii=False)
    config = {"add_bos_token": True, "add_eos_token": False, "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
              "chat_template": "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + eos_token + '\\n' }}{% endfor %}"}
    with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as fh:
        json.dump(config, fh, indent=1)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(0)
    merges = learn_bpe(CORPUS, 120)
    for name, cfg, dtype, seed in [
        ("tiny-llama", {
            "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu",
            "vocab_size": 0, "hidden_size": 64, "intermediate_size": 160, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "rms_norm_eps": 1e-5,
            "rope_theta": 10000.0, "max_position_embeddings": 256, "tie_word_embeddings": False,
            "attention_bias": False, "mlp_bias": False, "bos_token_id": None, "eos_token_id": 0,
            "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                             "original_max_position_embeddings": 32},
            "torch_dtype": "float32"}, "F32", 1),
        ("tiny-qwen2", {
            "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu",
            "vocab_size": 0, "hidden_size": 48, "intermediate_size": 96, "num_hidden_layers": 3,
            "num_attention_heads": 6, "num_key_value_heads": 1, "rms_norm_eps": 1e-6,
            "rope_theta": 1000000.0, "max_position_embeddings": 128, "tie_word_embeddings": True,
            "bos_token_id": None, "eos_token_id": 0, "rope_scaling": None, "torch_dtype": "bfloat16"}, "BF16", 2),
    ]:
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        vocab, ranks = write_tokenizer(folder, merges)
        cfg["vocab_size"] = len(vocab)
        cfg["eos_token_id"] = vocab["<|im_end|>"]
        make(folder, cfg, dtype, seed, vocab, ranks)
        print(folder, "vocab", len(vocab))
    make_sentencepiece(os.path.join(out, "tiny-sentencepiece"))


if __name__ == "__main__":
    main()
