"""On-site sampling records (issue 4, slice S1): the public API in one place.

The code lives in :mod:`ohinspect.services.sampling_tasks` (tasks, posts and the GBZ 159
proposal, the lock check), :mod:`ohinspect.services.sampling_records` (samples, blanks, noise,
sample numbers and the defaults for the next sample), :mod:`ohinspect.services.sampling_signing`
(custody transfer, signing and locking), :mod:`ohinspect.services.sampling_photos` (photos of
samples) and :mod:`ohinspect.services.sampling_checks` (the field checks of
``resources/standards/sampling_field_checks.yaml``); import from here.
"""

from __future__ import annotations

from ohinspect.services.sampling_photos import (add_sample_photo, add_sample_photo_in,
                                                sample_photos)
from ohinspect.services.sampling_records import (INSTRUMENT_CHECKS, NoiseInput, SampleInput,
                                                 defaults_for_next, next_sample_number,
                                                 record_noise, record_noise_in, record_sample,
                                                 record_sample_in)
from ohinspect.services.sampling_signing import (sign_task, sign_task_in, transfer_custody,
                                                 transfer_custody_in)
from ohinspect.services.sampling_tasks import (PLAN_KEYS, STATUS_DRAFT, STATUS_SIGNED, PostInput,
                                               TaskInput, create_task, create_task_in,
                                               ensure_unlocked, limit_kinds, propose, save_post,
                                               save_post_in, update_task)

__all__ = [
    "INSTRUMENT_CHECKS", "PLAN_KEYS", "STATUS_DRAFT", "STATUS_SIGNED", "NoiseInput", "PostInput",
    "SampleInput", "TaskInput", "add_sample_photo", "add_sample_photo_in", "create_task",
    "create_task_in", "defaults_for_next", "ensure_unlocked", "limit_kinds",
    "next_sample_number", "propose", "record_noise", "record_noise_in", "record_sample",
    "record_sample_in", "sample_photos", "save_post", "save_post_in", "sign_task",
    "sign_task_in", "transfer_custody", "transfer_custody_in", "update_task",
]
