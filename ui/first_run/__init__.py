"""The first start on a laptop: who uses it, where, and where the data lives (or the demo)."""
