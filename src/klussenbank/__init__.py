"""Klussenbank: an internal odd-jobs marketplace for Microsoft Teams."""

__version__ = "0.1.0"
