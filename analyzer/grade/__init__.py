"""Grade (a front): many recordings in, a TeamReport out: reps, parallel workers, results cached
by content, per-rep and per-rule summaries."""
