"""OHInspect core: business rules, store, services and tools. Never imports Qt or ``ui``."""

__version__ = "0.1.0"
