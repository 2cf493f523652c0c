"""The "three simultaneities" projects screen (三同时项目): filterable list, project and stage
editors with per-field messages, autosaved drafts, documents and photos per stage."""
