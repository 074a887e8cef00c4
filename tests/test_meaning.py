"""The sentence model (analyzer/measure/sentences.py) against transformers' BertModel, and the rules that
use it: a gain said in words no pattern knows counts; a vague claim still does not."""

import numpy as np
import pytest
import torch
from safetensors.torch import load_file
from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

from analyzer.errors import ModelError
from analyzer.measure import sentences as meaning
from analyzer.testing import rule_by_name, run_rule

SENTENCES = [
    "We cut onboarding time in half for a team your size.",
    "Hi",
    "Give me a call at 402-730-5108, let me know what works for you.",
    "Firms like yours usually get their invoices paid two weeks earlier with us.",
]


def test_numpy_forward_pass_matches_transformers():
    directory = meaning.model_directory()
    config = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                        intermediate_size=1536, max_position_embeddings=512)
    model = BertModel(config, add_pooling_layer=False).eval()
    model.load_state_dict(load_file(str(directory / "model.safetensors")), strict=False)
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=str(directory / "tokenizer.json"), pad_token="[PAD]")
    batch = tokenizer(SENTENCES, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    theirs = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=1).numpy()
    ours = meaning.encode(SENTENCES)
    assert ours.shape == (4, 384)
    assert np.abs(ours - theirs).max() < 1e-5
    # what the vectors are for: a paraphrase is nearer than an unrelated sentence
    again = meaning.encode(["We halve the onboarding time for teams like yours."])[0]
    assert again @ ours[0] > again @ ours[2] + 0.3


def test_a_changed_unpacked_file_is_unpacked_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    directory = meaning.model_directory()
    assert directory.is_relative_to(tmp_path)
    (directory / "tokenizer.json").write_text("{}")
    assert meaning.model_directory() == directory
    assert len((directory / "tokenizer.json").read_bytes()) > 100_000


def test_an_unwritable_cache_is_one_sentence(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with pytest.raises(ModelError) as caught:
        meaning.model_directory()
    message = str(caught.value)
    assert "Could not unpack the sentence model" in message and "XDG_CACHE_HOME" in message
    assert "\n" not in message


@pytest.mark.parametrize("script, fires", [
    # a gain in words none of the patterns knows: counted by the sentence model
    ("Hi Dana, this is Sam Carter with Acme Supply. Our clients typically see their energy bills "
     "drop by a big chunk within a month. Call me at 402-730-5108.", False),
    # vague claims are nearer the `unlike` sentences: still no gain
    ("Hi Dana, this is Sam Carter with Acme Supply. We really care about our customers. "
     "Call me at 402-730-5108.", True),
    ("Hi Dana, this is Sam Carter with Acme Supply. We have been in business for years. "
     "Call me at 402-730-5108.", True),
])
def test_a_gain_said_in_other_words(default_pack, script, fires):
    rule = rule_by_name(default_pack, "no-benefit-claim")
    assert bool(run_rule(rule, script)) == fires


def test_the_clause_that_said_it_is_the_evidence(default_pack):
    from analyzer.checks.kinds import Context
    from analyzer.testing import measure_script

    script = ("Hi Dana, this is Sam Carter with Acme Supply. Our clients typically see their energy bills "
              "drop by a big chunk within a month. Call me at 402-730-5108.")
    rule = rule_by_name(default_pack, "no-benefit-claim")
    transcript, measured = measure_script(script, labeller=default_pack.labeller)
    context = Context(transcript, measured)
    evidence = rule.evidence(context, bool(rule.findings(context)))
    assert not evidence.fired
    said = "Our clients typically see their energy bills drop by a big chunk within a month."
    assert [s.text for s in evidence.found] == [said]
    assert evidence.found[0].score >= rule.check.like_min  # found by its meaning, and how surely


def test_example_sentences_are_encoded_once(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    sentences = ("We cut onboarding time in half.", "Have a great day.")
    first = meaning.views_kept(sentences)
    real_views = meaning.views
    monkeypatch.setattr(meaning, "views", lambda _: pytest.fail("encoded again"))
    assert np.array_equal(meaning.views_kept(sentences), first)
    assert len(list((tmp_path / "voicemail-analyzer" / "sentence-vectors").glob("*.npz"))) == 1
    # a trainer's one added sentence is the only one encoded; the others are read back
    encoded: list[list[str]] = []
    monkeypatch.setattr(meaning, "views", lambda batch: encoded.append(batch) or real_views(batch))
    more = meaning.views_kept((*sentences, "We answer every call in under a minute."))
    assert encoded == [["We answer every call in under a minute."]] and np.array_equal(more[:2], first)


@pytest.mark.parametrize("core", ["Prescott", "Haswell"])
def test_vectors_do_not_depend_on_the_cpu_kernels(core):
    """numpy's OpenBLAS picks matrix kernels per CPU as CTranslate2 does; forced to an older one,
    the vectors agree to 1e-5, far inside the 0.1 margin a verdict needs."""
    import json
    import os
    import subprocess
    import sys

    code = ("import json, sys; from analyzer.measure import sentences as meaning; "
            "print(json.dumps(meaning.views(json.loads(sys.argv[1])).tolist()))")
    env = {**os.environ, "OPENBLAS_CORETYPE": core}
    out = subprocess.run([sys.executable, "-c", code, json.dumps(SENTENCES)], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert np.abs(np.array(json.loads(out)) - meaning.views(SENTENCES)).max() < 1e-5
