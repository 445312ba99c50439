"""invlint: static analysis of AWS Lambda invocation modes."""

__version__ = "0.1.0"
