"""The learned coder: event types, roles and factuality decided by models trained on the silver data.

Entry function: :func:`code_document_learned` (called by ``veille.events.code_events``).
Models: :func:`load_model` (package data, checked against this installation's features).
Training: ``scripts/train.py``.
"""

from veille.learned.coder import code_document_learned, code_documents_learned
from veille.learned.model import CoderModel, load_model

__all__ = ["CoderModel", "code_document_learned", "code_documents_learned", "load_model"]
