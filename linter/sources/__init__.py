"""Readers: one module per input format. Each returns positioned values and problems."""
