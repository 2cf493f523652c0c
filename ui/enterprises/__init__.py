"""The enterprise registry screen (用人单位): lazy list, filters, editor with autosaved drafts."""
