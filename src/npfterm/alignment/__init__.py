"""Sentence alignment: bead costs from evidence, the dynamic programme, confidence."""
