"""Ward IT-plan progress reports (PDF, text, Markdown) → tidy, validated tables."""

__version__ = "0.1.0"
