"""Language data: one folder of TSV tables per language (fr, en, …) and _base/ for shared tables."""
