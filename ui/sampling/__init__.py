"""The 现场采样 area (issue 4): sampling tasks, their posts, samples, noise, custody, results,
evaluation and signing."""

from ui.sampling.page import SamplingPage

__all__ = ["SamplingPage"]
