"""Fixtures of the robot's tests: the shared instant portal and dedicated portals with faults."""

from __future__ import annotations

import pytest
from robot_harness import Portal


@pytest.fixture(scope="session")
def portal():
    """One instant portal (delay scale 0, no faults) shared by the tests that need no fault."""
    p = Portal()
    yield p
    p.close()


@pytest.fixture
def portal_with():
    """Starts a dedicated portal with options (faults, refused login); stops it afterwards."""
    started = []

    def start(*args: str, delay_scale: float = 0) -> Portal:
        p = Portal(*args, delay_scale=delay_scale)
        started.append(p)
        return p

    yield start
    for p in started:
        p.close()
