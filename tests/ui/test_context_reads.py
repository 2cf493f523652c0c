"""``AppContext.read(..., latest=NAME)``: reads run in a pool and may finish out of order; only
the last read started under a name is delivered (the review queue's "decision saved" message
was once wiped by an older refresh arriving last)."""

from __future__ import annotations

from typing import Any


def test_only_the_latest_read_of_a_name_is_delivered(ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    started: list[tuple[Any, Any]] = []   # (job, on_done), finished later in any order
    monkeypatch.setattr(ctx.runner, "run", lambda job, on_done: started.append((job, on_done)))
    shown: list[str] = []
    for n in (1, 2):
        ctx.read(lambda _s, n=n: f"list {n}", on_done=shown.append, latest="queue")
    ctx.read(lambda _s: "other", on_done=shown.append, latest="another")
    ctx.read(lambda _s: "plain", on_done=shown.append)
    for job, on_done in reversed(started):   # the newest finishes first
        on_done(job())
    assert shown == ["plain", "other", "list 2"]   # "list 1", finishing last, is dropped
