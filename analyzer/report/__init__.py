"""Report: per-file results (FileReport) and the run's Report, and their JSON form: what every
renderer formats."""
