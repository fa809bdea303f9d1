"""Fixtures shared by the test modules."""

import pytest
import torch


@pytest.fixture
def one_thread():
    """One torch thread while a test trains: on a busy 2-core machine two threads that fight
    for the cores make tiny training runs many times slower (and timing-dependent)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
