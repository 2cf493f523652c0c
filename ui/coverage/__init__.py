"""Verification coverage of project acceptance (核查率) per risk class, and the 双随机 draw."""
