#!/usr/bin/python3
"""Regenerates the tiny causal LM used by the OnnxChatClient tests.

Run with Debian's interpreter, which sees python3-torch (1.13) and python3-onnx:

    cd tests/PromptKit.OnnxRuntime.Tests/Models/lm && /usr/bin/python3 make_lm.py

Writes, next to this script:
  vocab.json, merges.txt  a byte-level BPE tokenizer (GPT-2 byte-to-unicode alphabet, merges learned on the corpus
                          below, no pre-tokenizer, one special token <|endoftext|>); Microsoft.ML.Tokenizers loads it with
                          BpeTokenizer.Create(new BpeOptions(vocab, merges) { ByteLevel = true }).
  lm_past.onnx            the model WITH a KV cache: inputs input_ids [batch, seq] int64, attention_mask [batch, total]
                          int64, position_ids [batch, seq] int64, past_key_values.{i}.key/value [batch, 2, past, 16] float;
                          outputs logits [batch, seq, vocab] float and present.{i}.key/value [batch, 2, total, 16] float.
  lm_nopast.onnx          the same weights WITHOUT a cache: inputs input_ids, attention_mask; output logits (positions are
                          computed inside the graph as 0..seq-1).
  reference.json          for each prompt: the rendered prompt text, its token ids, the first-step logits (last prompt
                          position, full vocabulary, computed by torch) and the greedy continuation of N=12 steps
                          (argmax of the full-recompute torch forward at every step, EOS not treated specially).

The model is a 2-layer pre-LayerNorm transformer (d_model 32, 2 heads of 16, MLP 64, learned absolute positions up to
128, tied input/output embedding), initialized from torch.manual_seed(1234) and trained for a few hundred Adam steps on
the small chat corpus below so that its greedy answers are readable ASCII ending in <|endoftext|>. Everything is seeded
and single-threaded; a rerun on another machine can differ in the last bits of the weights, so commit the regenerated
model and reference.json together.
"""

import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
EOS = "<|endoftext|>"
N_MERGES = 48
D_MODEL, N_HEADS, HEAD_DIM, D_FF, N_LAYERS, MAX_POS = 32, 2, 16, 64, 2, 128
GREEDY_STEPS = 12

torch.manual_seed(1234)
torch.set_num_threads(1)


# ----- chat template: must equal OnnxChatClient.FormatDefaultPrompt -----
def render(messages):
    """<|role|>\\n{text}\\n for every message, then the generation prompt <|assistant|>\\n."""
    out = []
    for m in messages:
        out.append("<|" + m["role"] + "|>\n" + m["content"] + "\n")
    out.append("<|assistant|>\n")
    return "".join(out)


DIALOGUES = [
    ("hello", "hi there!"),
    ("what is 2 + 2?", "4"),
    ("name a color", "blue"),
    ("say cat", "cat"),
    ("count to three", "one two three"),
    ("what sound does a dog make?", "woof woof"),
    ("greet me in french", "bonjour, café?"),
    ("tell me a fruit", "an apple a day"),
    ("is the sky blue?", "yes, the sky is blue."),
    ("spell abc", "a b c"),
]
SYSTEM = "be brief."


def training_texts():
    texts = []
    for q, a in DIALOGUES:
        texts.append(render([{"role": "user", "content": q}]) + a)
        texts.append(render([{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}]) + a)
    return texts


# ----- byte-level BPE (GPT-2 byte-to-unicode alphabet) -----
def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


B2U = bytes_to_unicode()


def to_symbols(text):
    return [B2U[b] for b in text.encode("utf-8")]


def learn_merges(texts, n_merges):
    seqs = [to_symbols(t) for t in texts]
    merges = []
    for _ in range(n_merges):
        counts = {}
        for s in seqs:
            for a, b in zip(s, s[1:]):
                counts[(a, b)] = counts.get((a, b), 0) + 1
        if not counts:
            break
        best = max(sorted(counts), key=lambda p: counts[p])  # ties: lexicographically first pair
        merges.append(best)
        seqs = [apply_merge(s, best) for s in seqs]
    return merges


def apply_merge(symbols, pair):
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def bpe_encode(text, ranks, vocab):
    symbols = to_symbols(text)
    while len(symbols) > 1:
        best = min(((ranks.get((a, b), math.inf), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))))
        if best[0] == math.inf:
            break
        symbols = apply_merge(symbols, (symbols[best[1]], symbols[best[1] + 1]))
    return [vocab[s] for s in symbols]


# ----- model -----
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(D_MODEL)
        self.qkv = nn.Linear(D_MODEL, 3 * D_MODEL)
        self.proj = nn.Linear(D_MODEL, D_MODEL)
        self.ln2 = nn.LayerNorm(D_MODEL)
        self.fc1 = nn.Linear(D_MODEL, D_FF)
        self.fc2 = nn.Linear(D_FF, D_MODEL)

    def forward(self, x, mask_add, past_k, past_v):
        b, s, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D_MODEL, dim=-1)
        q = q.view(b, s, N_HEADS, HEAD_DIM).transpose(1, 2)
        k = k.view(b, s, N_HEADS, HEAD_DIM).transpose(1, 2)
        v = v.view(b, s, N_HEADS, HEAD_DIM).transpose(1, 2)
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(HEAD_DIM) + mask_add
        y = torch.matmul(torch.softmax(att, dim=-1), v).transpose(1, 2).reshape(b, s, D_MODEL)
        x = x + self.proj(y)
        x = x + self.fc2(F.gelu(self.fc1(self.ln2(x))))
        return x, k, v


class TinyLM(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, D_MODEL)
        self.pos = nn.Embedding(MAX_POS, D_MODEL)
        self.blocks = nn.ModuleList([Block() for _ in range(N_LAYERS)])
        self.ln_f = nn.LayerNorm(D_MODEL)

    def core(self, input_ids, attention_mask, position_ids, past):
        s = input_ids.shape[1]
        past_len = past[0].shape[2] if past is not None else 0
        total = attention_mask.shape[1]
        q_pos = torch.arange(s, dtype=torch.int64).unsqueeze(1) + past_len
        k_pos = torch.arange(total, dtype=torch.int64).unsqueeze(0)
        causal = (k_pos > q_pos).to(torch.float32) * -1e9  # [s, total]
        padding = (1.0 - attention_mask.to(torch.float32)) * -1e9  # [b, total]
        mask_add = causal.unsqueeze(0).unsqueeze(0) + padding.unsqueeze(1).unsqueeze(1)
        x = self.tok(input_ids) + self.pos(position_ids)
        presents = []
        for i, block in enumerate(self.blocks):
            pk = past[2 * i] if past is not None else None
            pv = past[2 * i + 1] if past is not None else None
            x, k, v = block(x, mask_add, pk, pv)
            presents += [k, v]
        logits = F.linear(self.ln_f(x), self.tok.weight)
        return logits, presents


class WithPast(nn.Module):
    def __init__(self, lm):
        super().__init__()
        self.lm = lm

    def forward(self, input_ids, attention_mask, position_ids, *past):
        logits, presents = self.lm.core(input_ids, attention_mask, position_ids, list(past))
        return (logits, *presents)


class NoPast(nn.Module):
    def __init__(self, lm):
        super().__init__()
        self.lm = lm

    def forward(self, input_ids, attention_mask):
        s = input_ids.shape[1]
        position_ids = torch.arange(s, dtype=torch.int64).unsqueeze(0).expand(input_ids.shape[0], s)
        logits, _ = self.lm.core(input_ids, attention_mask, position_ids, None)
        return logits


def full_logits(lm, ids):
    t = torch.tensor([ids], dtype=torch.int64)
    pos = torch.arange(len(ids), dtype=torch.int64).unsqueeze(0)
    logits, _ = lm.core(t, torch.ones_like(t), pos, None)
    return logits[0]


def main():
    texts = training_texts()
    merges = learn_merges(texts, N_MERGES)
    symbols = [B2U[b] for b in range(256)]
    vocab = {s: i for i, s in enumerate(symbols)}
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    vocab[EOS] = len(vocab)
    eos_id = vocab[EOS]
    ranks = {m: i for i, m in enumerate(merges)}
    with open(os.path.join(HERE, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, indent=0)
    with open(os.path.join(HERE, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in merges:
            f.write(a + " " + b + "\n")

    lm = TinyLM(len(vocab))
    samples = [bpe_encode(t, ranks, vocab) + [eos_id] for t in texts]
    opt = torch.optim.Adam(lm.parameters(), lr=1e-2)
    for step in range(400):
        total_loss = 0.0
        opt.zero_grad()
        for ids in samples:
            logits = full_logits(lm, ids[:-1])
            loss = F.cross_entropy(logits, torch.tensor(ids[1:]))
            (loss / len(samples)).backward()
            total_loss += loss.item()
        opt.step()
        if step % 100 == 0 or step == 399:
            print(f"step {step} loss {total_loss / len(samples):.4f}")
    lm.eval()

    # ----- export -----
    dummy_ids = torch.tensor([[5, 6, 7]], dtype=torch.int64)
    past_len = 2
    past = []
    names_in = ["input_ids", "attention_mask", "position_ids"]
    names_out = ["logits"]
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "total_sequence"},
            "position_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    for i in range(N_LAYERS):
        for kind in ("key", "value"):
            past.append(torch.randn(1, N_HEADS, past_len, HEAD_DIM))
            names_in.append(f"past_key_values.{i}.{kind}")
            names_out.append(f"present.{i}.{kind}")
            axes[f"past_key_values.{i}.{kind}"] = {0: "batch", 2: "past_sequence"}
            axes[f"present.{i}.{kind}"] = {0: "batch", 2: "total_sequence"}
    with torch.no_grad():
        torch.onnx.export(
            WithPast(lm), (dummy_ids, torch.ones(1, past_len + 3, dtype=torch.int64),
                           torch.tensor([[2, 3, 4]], dtype=torch.int64), *past),
            os.path.join(HERE, "lm_past.onnx"), input_names=names_in, output_names=names_out,
            dynamic_axes=axes, opset_version=17, do_constant_folding=True)
        torch.onnx.export(
            NoPast(lm), (dummy_ids, torch.ones(1, 3, dtype=torch.int64)),
            os.path.join(HERE, "lm_nopast.onnx"), input_names=["input_ids", "attention_mask"], output_names=["logits"],
            dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                          "logits": {0: "batch", 1: "sequence"}},
            opset_version=17, do_constant_folding=True)

    # ----- reference decoding (torch, full recompute, float32) -----
    prompts = [
        [{"role": "user", "content": "hello"}],
        [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "count to three"}],
        [{"role": "user", "content": "greet me in french"}],
        [{"role": "user", "content": "what is the weather?"}],
    ]
    cases = []
    with torch.no_grad():
        for messages in prompts:
            text = render(messages)
            ids = bpe_encode(text, ranks, vocab)
            first = full_logits(lm, ids)[-1]
            seq = list(ids)
            greedy, margins = [], []
            for _ in range(GREEDY_STEPS):
                last = full_logits(lm, seq)[-1]
                top2 = torch.topk(last, 2).values
                margins.append(float(top2[0] - top2[1]))
                nxt = int(torch.argmax(last))
                greedy.append(nxt)
                seq.append(nxt)
            assert min(margins) > 1e-3, f"greedy step too close to a tie: {margins}"
            cases.append({"messages": messages, "prompt_text": text, "prompt_ids": ids,
                          "first_step_logits": [float(x) for x in first], "greedy_ids": greedy,
                          "min_greedy_margin": min(margins)})
            print(repr(text), "->", greedy, "min margin", round(min(margins), 4))
    with open(os.path.join(HERE, "reference.json"), "w", encoding="utf-8") as f:
        json.dump({"eos_token_id": eos_id, "vocab_size": len(vocab), "greedy_steps": GREEDY_STEPS,
                   "max_positions": MAX_POS, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
