"""Errors name the real cause, not a symptom (issue 9's misleading messages)."""

import pytest

from calc import predict
from calc.errors import AccelcalcError

def message(**kwargs) -> str:
    with pytest.raises(AccelcalcError) as err:
        predict(kwargs.pop("model"), kwargs.pop("chip"), kwargs.pop("chips"), **kwargs)
    return str(err.value)


def test_no_limits_are_quoted_when_none_were_given():
    text = message(model="llama-3.1-405b", chip="H100", chips=4, scenario="decode",
                   context_tokens=1000, precision="bf16")
    assert "limits ()" not in text and "does not fit" in text


def test_a_missing_interconnect_is_named_rather_than_the_single_chip_footprint():
    text = message(model="llama-3.1-70b", chip="metax-c500", chips=8, precision="bf16")
    assert "interconnect" in text


def test_does_not_fit_quotes_the_footprint_of_the_largest_layout_tried():
    text = message(model="llama-3.1-405b", chip="H100", chips=4, precision="bf16")
    assert "202.9 GB of weights" in text  # tp4, not the single chip's 811.7 GB


def test_too_few_requests_names_the_replicas_of_the_layout():
    text = message(model="llama-3.1-70b", chip="H100", chips=8, tp=2, concurrency=2)
    assert "4 replicas" in text


def test_a_given_layout_that_does_not_fit_quotes_its_own_footprint():
    text = message(model="llama-3.1-405b", chip="H100", chips=4, tp=4, precision="bf16")
    assert "202.9 GB of weights" in text
