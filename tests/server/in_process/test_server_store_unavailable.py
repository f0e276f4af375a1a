"""A store the server cannot open: a 503 in JSON whose fix is the server's own setting."""

from __future__ import annotations

import pytest

from .conftest import call, server_config


@pytest.fixture
def jp_server_config(tmp_path_factory):
    blocker = tmp_path_factory.mktemp("unopenable") / "a_file"
    blocker.write_text("not a folder")
    return server_config(blocker)


async def test_an_unopenable_store_is_a_503_that_names_the_server_setting(jp_fetch):
    status, reply = await call(jp_fetch, "GET", "experiments")
    assert status == 503 and reply["reason"] == "store_unavailable"
    assert "cannot create the run store directory" in reply["message"]
    assert "c.AutoMLCodegenApp.store" in reply["message"]
    assert "--store" not in reply["message"]
    assert "a_file" not in reply["message"]  # server paths never leave the server
