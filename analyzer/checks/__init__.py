"""Rules: Measurements and a Transcript in, Findings out. Rule packs (TOML data) resolved into typed
check types; the transcript as searchable text; sentence vectors for rules with `like` sentences."""
