"""Pure dependency-graph engine: plain dataclasses in, results out; no I/O."""
