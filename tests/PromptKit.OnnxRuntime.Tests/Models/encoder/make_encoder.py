#!/usr/bin/python3
"""Regenerates the tiny BERT-like sentence encoder used by OnnxTextEncoderTests.

Run from anywhere with Debian's interpreter (it sees python3-onnx and python3-numpy):

    /usr/bin/python3 tests/PromptKit.OnnxRuntime.Tests/Models/encoder/make_encoder.py

Writes, next to this script:
  vocab.txt                     WordPiece vocabulary (one token per line, id = line number)
  encoder.onnx                  inputs input_ids, attention_mask, token_type_ids (int64 [batch, sequence]);
                                output last_hidden_state (float [batch, sequence, 32])
  encoder_no_token_types.onnx   same weights, no token_type_ids input (type 0 embedding folded in), hidden size
                                left symbolic in the output shape
  wrong_rank.onnx               right input names, but last_hidden_state is rank 2 (for error tests)
  int32_ids.onnx                input_ids is int32 instead of int64 (for error tests)
  reference.json                token ids and pooled embeddings for a few sentences, computed here with numpy
                                (float64) from the same weights, with an independent BERT basic tokenizer +
                                WordPiece implementation; never with ONNX Runtime.

The model: word + position + token type embeddings, LayerNorm, one single-head self-attention block with the
additive attention mask (1 - mask) * -10000 and a residual LayerNorm, one Tanh feed-forward block with a residual
LayerNorm. Weights come from numpy's default_rng(20240611), so the files are reproducible.
"""
import json
import os
import unicodedata

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
HIDDEN = 32
FFN = 48
MAX_POSITIONS = 64
EPS = 1e-12
SEED = 20240611
OPSET = 17

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PUNCT = [".", ",", "!", "?", "'", "-"]
WORDS = """the a an and or of to in on for with is are was be this that it he she they we you i
user users like likes play game games movie movies music book books read write song songs rock jazz pop film
drama comedy action love enjoy watch listen new old good bad great short long story prompt answer question
history record review rating item items recommend personal style summary keyword travel food coffee cafe tea
city night day week sport team football quick hello world""".split()
SUFFIXES = ["##ing", "##ed", "##s", "##er", "##ly", "##est"]
VOCAB = SPECIALS + PUNCT + WORDS + SUFFIXES
assert len(VOCAB) == len(set(VOCAB)), "duplicate vocabulary entries"
TOKEN_TO_ID = {t: i for i, t in enumerate(VOCAB)}

LONG = ("the user likes playing games and she played jazz music while readers enjoy the new movie "
        "on a long night in the city")

# (name, text, max_length): max_length counts [CLS] and [SEP], as OnnxTextEncoderOptions.MaxLength does.
CASES = [
    ("simple", "The user likes playing games.", 256),
    ("upper_case", "Hello World!", 256),
    ("word_pieces", "She played jazz music quickly, and readers enjoy it.", 256),
    ("unknown_words", "Xylophone gamez?", 256),
    ("accent", "Caf\u00e9 coffee", 256),
    ("single_word", "music", 256),
    ("long", LONG, 256),
    ("long_truncated_6", LONG, 6),   # cuts 'playing' after 'play': token-level truncation
    ("long_truncated_9", LONG, 9),
]


# ---------------------------------------------------------------- tokenizer (BERT basic + WordPiece, uncased)

def _is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def basic_tokenize(text):
    text = text.lower()
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    words = []
    for chunk in text.split():
        current = ""
        for ch in chunk:
            if _is_punctuation(ch):
                if current:
                    words.append(current)
                    current = ""
                words.append(ch)
            else:
                current += ch
        if current:
            words.append(current)
    return words


def wordpiece(word):
    if len(word) > 100:
        return ["[UNK]"]
    pieces = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in TOKEN_TO_ID:
                found = piece
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def tokenize(text, max_length):
    tokens = [p for w in basic_tokenize(text) for p in wordpiece(w)]
    tokens = tokens[: max_length - 2]  # token-level truncation, like Hugging Face truncation=True
    return ["[CLS]"] + tokens + ["[SEP]"]


# ---------------------------------------------------------------- weights

rng = np.random.default_rng(SEED)


def normal(shape, std):
    return (rng.standard_normal(shape) * std).astype(np.float32)


W = {
    "word_embeddings": normal((len(VOCAB), HIDDEN), 0.5),
    "position_embeddings": normal((MAX_POSITIONS, HIDDEN), 0.2),
    "token_type_embeddings": normal((2, HIDDEN), 0.2),
    "ln0_g": (1.0 + normal((HIDDEN,), 0.1)).astype(np.float32),
    "ln0_b": normal((HIDDEN,), 0.1),
    "wq": normal((HIDDEN, HIDDEN), HIDDEN ** -0.5), "bq": normal((HIDDEN,), 0.1),
    "wk": normal((HIDDEN, HIDDEN), HIDDEN ** -0.5), "bk": normal((HIDDEN,), 0.1),
    "wv": normal((HIDDEN, HIDDEN), HIDDEN ** -0.5), "bv": normal((HIDDEN,), 0.1),
    "wo": normal((HIDDEN, HIDDEN), HIDDEN ** -0.5), "bo": normal((HIDDEN,), 0.1),
    "ln1_g": (1.0 + normal((HIDDEN,), 0.1)).astype(np.float32),
    "ln1_b": normal((HIDDEN,), 0.1),
    "w1": normal((HIDDEN, FFN), HIDDEN ** -0.5), "b1": normal((FFN,), 0.1),
    "w2": normal((FFN, HIDDEN), FFN ** -0.5), "b2": normal((HIDDEN,), 0.1),
    "ln2_g": (1.0 + normal((HIDDEN,), 0.1)).astype(np.float32),
    "ln2_b": normal((HIDDEN,), 0.1),
}


# ---------------------------------------------------------------- numpy reference forward pass (float64, one sentence, no padding)

def layer_norm(x, g, b):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * g + b


def reference_hidden(ids):
    w = {k: v.astype(np.float64) for k, v in W.items()}
    n = len(ids)
    x = w["word_embeddings"][ids] + w["position_embeddings"][:n] + w["token_type_embeddings"][0]
    x = layer_norm(x, w["ln0_g"], w["ln0_b"])
    q = x @ w["wq"] + w["bq"]
    k = x @ w["wk"] + w["bk"]
    v = x @ w["wv"] + w["bv"]
    scores = q @ k.T / np.sqrt(HIDDEN)  # every token is real: the mask adds nothing
    scores = scores - scores.max(axis=-1, keepdims=True)
    p = np.exp(scores)
    p = p / p.sum(axis=-1, keepdims=True)
    x2 = layer_norm(x + (p @ v) @ w["wo"] + w["bo"], w["ln1_g"], w["ln1_b"])
    f = np.tanh(x2 @ w["w1"] + w["b1"]) @ w["w2"] + w["b2"]
    return layer_norm(x2 + f, w["ln2_g"], w["ln2_b"])


def l2(v):
    return v / np.linalg.norm(v)


# ---------------------------------------------------------------- ONNX graphs

def tensor_input(name, elem=TensorProto.INT64):
    return helper.make_tensor_value_info(name, elem, ["batch", "sequence"])


def build_encoder(with_token_types, symbolic_hidden):
    inits = [numpy_helper.from_array(v, name=k) for k, v in W.items() if k != "token_type_embeddings"]
    c = lambda name, arr: inits.append(numpy_helper.from_array(np.asarray(arr), name=name))
    c("zero_i64", np.array(0, dtype=np.int64))
    c("one_i64", np.array(1, dtype=np.int64))
    c("axis1", np.array([1], dtype=np.int64))
    c("one_f", np.array(1.0, dtype=np.float32))
    c("neg_big", np.array(-10000.0, dtype=np.float32))
    c("inv_sqrt_h", np.array(1.0 / np.sqrt(HIDDEN), dtype=np.float32))
    nodes = [
        helper.make_node("Gather", ["word_embeddings", "input_ids"], ["we"], axis=0),
        helper.make_node("Shape", ["input_ids"], ["ids_shape"]),
        helper.make_node("Gather", ["ids_shape", "one_i64"], ["seq_len"], axis=0),
        helper.make_node("Range", ["zero_i64", "seq_len", "one_i64"], ["positions"]),
        helper.make_node("Gather", ["position_embeddings", "positions"], ["pe"], axis=0),
        helper.make_node("Add", ["we", "pe"], ["wpe"]),
    ]
    inputs = [tensor_input("input_ids"), tensor_input("attention_mask")]
    if with_token_types:
        inits.append(numpy_helper.from_array(W["token_type_embeddings"], name="token_type_embeddings"))
        inputs.append(tensor_input("token_type_ids"))
        nodes.append(helper.make_node("Gather", ["token_type_embeddings", "token_type_ids"], ["te"], axis=0))
    else:
        c("te", W["token_type_embeddings"][0])
    nodes += [
        helper.make_node("Add", ["wpe", "te"], ["emb"]),
        helper.make_node("LayerNormalization", ["emb", "ln0_g", "ln0_b"], ["x"], axis=-1, epsilon=EPS),
        helper.make_node("MatMul", ["x", "wq"], ["q0"]), helper.make_node("Add", ["q0", "bq"], ["q"]),
        helper.make_node("MatMul", ["x", "wk"], ["k0"]), helper.make_node("Add", ["k0", "bk"], ["k"]),
        helper.make_node("MatMul", ["x", "wv"], ["v0"]), helper.make_node("Add", ["v0", "bv"], ["v"]),
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["q", "kt"], ["s0"]),
        helper.make_node("Mul", ["s0", "inv_sqrt_h"], ["s1"]),
        helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["maskf", "axis1"], ["mask3"]),
        helper.make_node("Sub", ["one_f", "mask3"], ["inv_mask"]),
        helper.make_node("Mul", ["inv_mask", "neg_big"], ["mask_bias"]),
        helper.make_node("Add", ["s1", "mask_bias"], ["s2"]),
        helper.make_node("Softmax", ["s2"], ["p"], axis=-1),
        helper.make_node("MatMul", ["p", "v"], ["ctx"]),
        helper.make_node("MatMul", ["ctx", "wo"], ["a0"]), helper.make_node("Add", ["a0", "bo"], ["a"]),
        helper.make_node("Add", ["x", "a"], ["r1"]),
        helper.make_node("LayerNormalization", ["r1", "ln1_g", "ln1_b"], ["x2"], axis=-1, epsilon=EPS),
        helper.make_node("MatMul", ["x2", "w1"], ["h0"]), helper.make_node("Add", ["h0", "b1"], ["h1"]),
        helper.make_node("Tanh", ["h1"], ["h"]),
        helper.make_node("MatMul", ["h", "w2"], ["f0"]), helper.make_node("Add", ["f0", "b2"], ["f"]),
        helper.make_node("Add", ["x2", "f"], ["r2"]),
        helper.make_node("LayerNormalization", ["r2", "ln2_g", "ln2_b"], ["last_hidden_state"], axis=-1, epsilon=EPS),
    ]
    out = helper.make_tensor_value_info(
        "last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", "hidden" if symbolic_hidden else HIDDEN])
    graph = helper.make_graph(nodes, "tiny_bert", inputs, [out], initializer=inits)
    return finish(graph)


def finish(graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="make_encoder.py")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def build_wrong_rank():
    nodes = [helper.make_node("Cast", ["input_ids"], ["last_hidden_state"], to=TensorProto.FLOAT),
             helper.make_node("Identity", ["attention_mask"], ["mask_out"])]
    outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence"]),
               helper.make_tensor_value_info("mask_out", TensorProto.INT64, ["batch", "sequence"])]
    graph = helper.make_graph(nodes, "wrong_rank", [tensor_input("input_ids"), tensor_input("attention_mask")], outputs)
    return finish(graph)


def build_int32_ids():
    inits = [numpy_helper.from_array(np.array([2], dtype=np.int64), name="axis2")]
    nodes = [helper.make_node("Cast", ["input_ids"], ["ids_f"], to=TensorProto.FLOAT),
             helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
             helper.make_node("Mul", ["ids_f", "mask_f"], ["prod"]),
             helper.make_node("Unsqueeze", ["prod", "axis2"], ["last_hidden_state"])]
    out = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", 1])
    graph = helper.make_graph(nodes, "int32_ids",
                              [tensor_input("input_ids", TensorProto.INT32), tensor_input("attention_mask")], [out],
                              initializer=inits)
    return finish(graph)


def main():
    with open(os.path.join(HERE, "vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(VOCAB) + "\n")
    onnx.save(build_encoder(True, False), os.path.join(HERE, "encoder.onnx"))
    onnx.save(build_encoder(False, True), os.path.join(HERE, "encoder_no_token_types.onnx"))
    onnx.save(build_wrong_rank(), os.path.join(HERE, "wrong_rank.onnx"))
    onnx.save(build_int32_ids(), os.path.join(HERE, "int32_ids.onnx"))

    cases = []
    for name, text, max_length in CASES:
        tokens = tokenize(text, max_length)
        ids = [TOKEN_TO_ID[t] for t in tokens]
        hidden = reference_hidden(ids)
        mean = hidden.mean(axis=0)
        cls = hidden[0]
        cases.append({
            "name": name, "text": text, "max_length": max_length, "tokens": tokens, "ids": ids,
            "mean": mean.tolist(), "mean_l2": l2(mean).tolist(), "cls": cls.tolist(), "cls_l2": l2(cls).tolist(),
        })
    reference = {
        "generator": "make_encoder.py (numpy float64 forward pass, independent WordPiece tokenizer)",
        "hidden_size": HIDDEN, "max_positions": MAX_POSITIONS, "vocab_size": len(VOCAB), "cases": cases,
    }
    with open(os.path.join(HERE, "reference.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    for name, text, max_length in CASES:
        print(name, tokenize(text, max_length))


if __name__ == "__main__":
    main()
