"""Standards: code checks (USCC, GB/T 2260) and versioned tables in ``resources/standards/``."""
