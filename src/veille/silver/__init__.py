"""Silver annotation: the codebook's vocabulary, the validation of annotated batches,
agreement between two codings, and the assembly of ``data/silver``.

Everything here uses the standard library only, so an annotator can run
``python3 scripts/silver.py validate FILE`` without installing veille.
"""
