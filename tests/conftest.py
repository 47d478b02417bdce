"""Hypothesis runs derandomized, so a CI run explores the same examples as a local one."""

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.load_profile("repeatable")
